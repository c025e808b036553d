/**
 * A key at least this long is masked wherever it occurs, even inside a longer word: real provider keys are
 * 32+ random characters, so such a match is the key. A shorter key ("local", "x") is a placeholder for a
 * server that needs none, and masking it inside words would garble `localhost` or `fake-model`.
 */
export const MASK_ANYWHERE_LENGTH = 16;

const MASK = '***';

/** Characters that continue a token: letters, digits, `_` and `-` (a `.` only between two of them). */
const TOKEN_CHAR = String.raw`[\p{L}\p{N}_-]`;

/**
 * Replaces `secret` in `text` with `***`: every occurrence when the secret is at least
 * `MASK_ANYWHERE_LENGTH` characters long, otherwise only where it stands as a whole token
 * (not preceded by a token character or `.`, not followed by a token character or by `.` plus one).
 */
export function redactSecret(text: string, secret: string): string {
  if (!secret || !secret.trim()) return text;
  if (secret.length >= MASK_ANYWHERE_LENGTH) return text.split(secret).join(MASK);
  const escaped = secret.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
  const wholeToken = new RegExp(`(?<!${TOKEN_CHAR}|\\.)${escaped}(?!${TOKEN_CHAR}|\\.${TOKEN_CHAR})`, 'gu');
  return text.replace(wholeToken, MASK);
}

/** Replaces the value of the API-key variable (and OPENAI_API_KEY) with `***` by the rule of `redactSecret`. */
export function redactSecrets(text: string, apiKeyEnv?: unknown): string {
  const names = new Set(['OPENAI_API_KEY', typeof apiKeyEnv === 'string' ? apiKeyEnv : 'OPENAI_API_KEY']);
  let result = text;
  for (const name of names) {
    const secret = process.env[name];
    if (secret) result = redactSecret(result, secret);
  }
  return result;
}
