import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { AttemptFailure, isRetryableStatus, parseRetryAfterMs } from '../../runtime/rate-limit';
import { InvalidModelReplyError } from './response';
import { UNREACHABLE_MAX_RETRIES, unreachableCode } from './unreachable';

/**
 * Whether a failed request is worth another attempt: network errors and timeouts, 408, 409, 429,
 * 5xx and unusable replies are; 400, 401, 403, 404, cancellation and programming errors are not. A server that is not
 * there (connection refused, host name not resolved) gets one quick retry only: it is a wrong URL or a stopped server.
 * Carries the server's `Retry-After` / `retry-after-ms`, whatever its length.
 */
export function classifyOpenAIFailure(error: unknown): AttemptFailure {
  if (error instanceof APIUserAbortError) return { retryable: false };
  if (unreachableCode(error)) return { retryable: true, maxRetries: UNREACHABLE_MAX_RETRIES };
  if (error instanceof APIConnectionError) return { retryable: true };
  if (error instanceof APIError && typeof error.status === 'number') {
    return { retryable: isRetryableStatus(error.status), retryAfterMs: parseRetryAfterMs(error.headers) };
  }
  return { retryable: error instanceof InvalidModelReplyError || error instanceof SyntaxError };
}
