/** Anything with a case-insensitive `get(name)`, such as a fetch `Headers` object. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/**
 * How long a response asks the client to wait, in ms: `retry-after-ms` (milliseconds) wins over
 * `Retry-After` (seconds, or an HTTP date). Undefined when neither header is present and valid.
 * Unlike the openai SDK, values of any length are returned; the retry policy decides the cap.
 */
export function parseRetryAfterMs(headers: HeaderReader | undefined, now = Date.now()): number | undefined {
  const millis = parseNonNegative(headers?.get('retry-after-ms'));
  if (millis !== undefined) return millis;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = parseNonNegative(value);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseNonNegative(value: string | null | undefined): number | undefined {
  if (value == null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
