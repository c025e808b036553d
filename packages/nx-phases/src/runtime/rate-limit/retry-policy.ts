/** What a failed attempt means for the retry loop. */
export interface AttemptFailure {
  /** Whether another attempt may succeed (408, 409, 429, 5xx, network errors, bad content). */
  retryable: boolean;
  /** The server's requested wait (`Retry-After` / `retry-after-ms`), when it sent one. */
  retryAfterMs?: number;
  /** A lower retry limit for this kind of failure (a refused connection: 1), under the policy's `maxRetries`. */
  maxRetries?: number;
}

/** Retry settings; the defaults match the `nx-phases:openai` options. */
export interface RetryPolicy {
  /** Retries after the first attempt (6 → up to 7 attempts). */
  maxRetries: number;
  /** Longest server-requested wait that is honoured; longer fails at once. */
  maxRetryAfterMs: number;
  /** Backoff base for attempt 0; doubles per attempt (default 1000 ms). */
  baseDelayMs?: number;
  /** Backoff cap (default 60000 ms). */
  maxDelayMs?: number;
  /** Source of randomness for the jitter, in [0, 1). */
  random?: () => number;
}

/** Everything `withRetries` needs besides the policy. */
export interface WithRetriesOptions extends RetryPolicy {
  /** Decides whether an error is worth another attempt. */
  classify(error: unknown): AttemptFailure;
  /** Waits before retry number `retry` (1-based); typically a countdown shown in progress. */
  wait(delayMs: number, retry: number, error: unknown): Promise<void>;
}

/** HTTP statuses that are retried: 408, 409, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Exponential backoff with full jitter: uniform in [0, min(maxDelay, base · 2^attempt)). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy): number {
  const base = policy.baseDelayMs ?? 1000;
  const cap = policy.maxDelayMs ?? 60_000;
  const random = policy.random ?? Math.random;
  return Math.floor(random() * Math.min(cap, base * 2 ** attempt));
}

/** The wait before the next attempt: the server's Retry-After when sent (capped by policy), else backoff. */
export function retryDelayMs(failure: AttemptFailure, attempt: number, policy: RetryPolicy): number {
  if (failure.retryAfterMs === undefined) return backoffDelayMs(attempt, policy);
  if (failure.retryAfterMs > policy.maxRetryAfterMs) {
    throw new RetryAfterTooLongError(failure.retryAfterMs, policy.maxRetryAfterMs);
  }
  return failure.retryAfterMs;
}

/** How many retries a failure of this kind allows: the policy's, or the failure's own lower limit. */
export function retryLimit(failure: AttemptFailure, policy: RetryPolicy): number {
  return Math.min(policy.maxRetries, failure.maxRetries ?? Infinity);
}

/** Run `attempt(index)` until it succeeds, a failure is not retryable, or retries run out (see `retryLimit`). */
export async function withRetries<T>(attempt: (index: number) => Promise<T>, options: WithRetriesOptions): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      const failure = options.classify(error);
      if (!failure.retryable) throw error;
      if (index >= retryLimit(failure, options)) throw new RetriesExhaustedError(index + 1, error);
      await options.wait(retryDelayMs(failure, index, options), index + 1, error);
    }
  }
}

/** The last attempt failed and no retries are left. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(
      `Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}. Last error: ${messageOf(lastError)} ` +
        `Raise options.maxRetries to try more often.`,
    );
    this.name = 'RetriesExhaustedError';
  }
}

/** The server asked for a longer wait than `maxRetryAfterMs` allows. */
export class RetryAfterTooLongError extends Error {
  constructor(
    readonly retryAfterMs: number,
    readonly maxRetryAfterMs: number,
  ) {
    super(
      `The server asked to retry after ${Math.ceil(retryAfterMs / 1000)} s, longer than maxRetryAfterMs ` +
        `(${Math.ceil(maxRetryAfterMs / 1000)} s). Try again later, or raise options.maxRetryAfterMs.`,
    );
    this.name = 'RetryAfterTooLongError';
  }
}

/** A server's Retry-After, shared through the limiter, pauses every process for longer than this phase's `maxRetryAfterMs`. */
export class SharedPauseTooLongError extends Error {
  constructor(
    readonly pauseMs: number,
    readonly maxRetryAfterMs: number,
  ) {
    super(
      `The server told an earlier request to retry after a wait that has ${Math.ceil(pauseMs / 1000)} s left (Retry-After), and no ` +
        `process sends to it before then; that is longer than maxRetryAfterMs (${Math.ceil(maxRetryAfterMs / 1000)} s). Nothing was ` +
        'sent. Try again later, or raise options.maxRetryAfterMs.',
    );
    this.name = 'SharedPauseTooLongError';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
