import { APIConnectionError, APIConnectionTimeoutError } from 'openai';

/** Codes of a server that is not there: refused (nothing listens) or a host name that does not resolve. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Retries a connection to a server that is not there gets: one, after under a second (the backoff of attempt 0). */
export const UNREACHABLE_MAX_RETRIES = 1;

/**
 * The code (ECONNREFUSED, ENOTFOUND, EAI_AGAIN) when the openai client could not reach the server at all, almost always
 * a wrong baseURL or a server that is not running; undefined for any other failure (timeouts and resets included).
 */
export function unreachableCode(error: unknown): string | undefined {
  if (!(error instanceof APIConnectionError) || error instanceof APIConnectionTimeoutError) return undefined;
  const code = systemErrorCode(error.cause);
  return code !== undefined && UNREACHABLE_CODES.has(code) ? code : undefined;
}

/** The system error code in a failed fetch's `cause` chain; an AggregateError (every address of a name) counts when all agree. */
function systemErrorCode(error: unknown): string | undefined {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (cause as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const codes = new Set(errors.map((inner) => (inner as { code?: unknown }).code));
      const [only] = codes;
      return codes.size === 1 && typeof only === 'string' ? only : undefined;
    }
  }
  return undefined;
}
