/** Replaces every occurrence of `secret` in `text` with `***`. */
export function redactSecret(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}

/** Replaces the value of the API-key variable (and OPENAI_API_KEY) with `***` wherever it appears. */
export function redactSecrets(text: string, apiKeyEnv?: unknown): string {
  const names = new Set(['OPENAI_API_KEY', typeof apiKeyEnv === 'string' ? apiKeyEnv : 'OPENAI_API_KEY']);
  let result = text;
  for (const name of names) {
    const secret = process.env[name];
    if (secret && secret.length >= 4) result = redactSecret(result, secret);
  }
  return result;
}
