/** Cross-process rate limiting and retry policy for LLM phase generators. */
export { CrossProcessRateLimiter, fileLimiterStore, type LimiterStateStore, type RateLimiterOptions, type RateLimitLease, type WaitStatus, type AcquireOptions } from './limiter';
export { rateLimitStateDir } from './state-dir';
export { DEFAULT_SLOT_TIMING, type SlotTiming, type SlotBlockReason } from './slot-rules';
export {
  withRetries,
  isRetryableStatus,
  backoffDelayMs,
  retryDelayMs,
  retryLimit,
  RetriesExhaustedError,
  RetryAfterTooLongError,
  SharedPauseTooLongError,
  type AttemptFailure,
  type RetryPolicy,
} from './retry-policy';
export { parseRetryAfterMs, type HeaderReader } from './retry-after';
export { parseProviderFeedback, parseDurationMs, parseRfc3339, type ProviderFeedback, type ProviderWindow } from './provider-headers';
export { countdown, formatSeconds, sleep, WaitAbortedError } from './sleep';
