import { randomBytes } from 'node:crypto';
import type { RateLimit } from '../../plan/types';
import { Lease, leaveQueue, LimiterState, pruneState, queuePosition, updateLimiterState } from './limiter-state';
import { currentHolder } from './process-alive';
import { isUnknownFeedback, type ProviderFeedback } from './provider-headers';
import { tightenProviderLimits } from './provider-window';
import { DEFAULT_SLOT_TIMING, evaluateSlot, SlotBlockReason, SlotTiming, SlotVerdict } from './slot-rules';
import { SharedPauseTooLongError } from './retry-policy';
import { sleep } from './sleep';

/** Settings of one limiter; all processes using the same `stateDir` share its limits. */
export interface RateLimiterOptions {
  /** Folder holding `state.json` and `state.lock` (see `rateLimitStateDir`); used when no `store` is given. */
  stateDir?: string;
  /** Where the shared state lives when not in `stateDir`: the Redis store shares it between machines. */
  store?: LimiterStateStore;
  limits: RateLimit;
  /** Window and guard lengths; tests shorten the window. */
  timing?: Partial<SlotTiming>;
  /** A lease not renewed for this long is reclaimed (default 20000 ms). */
  leaseMs?: number;
  /** How often a holder renews its lease (default 5000 ms). */
  heartbeatMs?: number;
  /** Poll interval while all slots are busy (default 25 ms, plus up to 100 % jitter). */
  pollMs?: number;
  /** This machine's clock (default `Date.now`); tests skew it against the store's clock. */
  clock?: () => number;
}

/** What a waiting request is waiting for; passed to `onWait` on every poll. */
export interface WaitStatus {
  reason: SlotBlockReason;
  /** Known remaining wait, when the blocking rule has a known end (not for concurrency). */
  remainingMs?: number;
  /** Requests queued ahead of this one (reason `queued`). */
  ahead?: number;
  inFlight: number;
  maxConcurrentRequests: number;
}

/** Options for one `acquire`. */
export interface AcquireOptions {
  /** Tokens to reserve in the tokensPerMinute window (prompt estimate + max output). */
  tokens?: number;
  signal?: AbortSignal;
  onWait?(status: WaitStatus): void;
  /** Fail with `SharedPauseTooLongError` instead of waiting when a server's Retry-After pauses every process for longer. */
  maxPauseMs?: number;
}

/** A held slot. Release it when the request has finished, successfully or not. */
export interface RateLimitLease {
  /** When the slot was granted (the time recorded in the shared state). */
  readonly startedAt: number;
  /** How long `acquire` waited. */
  readonly waitedMs: number;
  /**
   * Report that the request is on the wire (e.g. its headers were written). Spacing and the
   * request window count from this time; with a minDelayBetweenMs, no other request starts
   * until it is called (or the lease is released). Resolves to the recorded send time
   * (undefined if the state could not be updated). Never rejects.
   */
  markSent(): Promise<number | undefined>;
  /**
   * Free the slot; `actualTokens` replaces the reservation in the token window. Resolves to the
   * time the slot was freed in the shared state (undefined if the state could not be updated;
   * the lease then expires on its own). Never rejects.
   */
  release(actualTokens?: number): Promise<number | undefined>;
}

const MAX_SLEEP_MS = 250;

/**
 * A rate limiter shared by every process on the machine that uses the same state folder: at most
 * `maxConcurrentRequests` leases, `minDelayBetweenMs` between sends, `requestsPerMinute` starts
 * and `tokensPerMinute` tokens in any sliding window. Leases are renewed by a heartbeat; a lease
 * whose holder died is reclaimed immediately (same host) or when it expires.
 */
export class CrossProcessRateLimiter {
  private readonly timing: SlotTiming;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly store: LimiterStateStore;
  private readonly clock: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.limits.maxConcurrentRequests >= 1)) {
      throw new Error(`rateLimit.maxConcurrentRequests must be at least 1 (got ${options.limits.maxConcurrentRequests}).`);
    }
    this.timing = { ...DEFAULT_SLOT_TIMING, ...options.timing };
    this.store = options.store ?? fileLimiterStore(options.stateDir ?? missingStateDir());
    this.leaseMs = options.leaseMs ?? 20_000;
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    this.pollMs = options.pollMs ?? 25;
    this.clock = options.clock ?? Date.now;
  }

  /** Wait (first come, first served) until every limit allows one more request, then take a slot. */
  async acquire(options: AcquireOptions = {}): Promise<RateLimitLease> {
    const begun = this.clock();
    const id = randomBytes(8).toString('hex');
    try {
      for (;;) {
        const outcome = await this.update((state, now) => this.tryGrant(state, now, id, options.tokens ?? 0), options.signal);
        if (outcome.verdict.granted) return this.startLease(id, outcome.now, this.clock() - begun);
        const pauseMs = outcome.pausedUntil - outcome.now;
        if (options.maxPauseMs !== undefined && pauseMs > options.maxPauseMs) throw new SharedPauseTooLongError(pauseMs, options.maxPauseMs);
        // retryAt is on the store's clock (Redis: the server's), so the wait is counted from the store's `now`.
        const retryInMs = outcome.verdict.retryAt === undefined ? undefined : Math.max(0, outcome.verdict.retryAt - outcome.now);
        options.onWait?.({
          reason: outcome.verdict.reason,
          remainingMs: retryInMs,
          ...(outcome.ahead > 0 ? { ahead: outcome.ahead } : {}),
          inFlight: outcome.inFlight,
          maxConcurrentRequests: this.options.limits.maxConcurrentRequests,
        });
        await sleep(this.sleepMs(retryInMs), options.signal);
      }
    } catch (error) {
      await this.update((state) => leaveQueue(state, id)).catch(() => undefined);
      throw error;
    }
  }

  /** One poll: keep our place in the queue; at its head, take a slot if the limits allow. */
  private tryGrant(state: LimiterState, now: number, id: string, tokens: number) {
    const ahead = queuePosition(state, { id, ...currentHolder(), seenAt: now });
    const verdict: SlotVerdict =
      ahead > 0 ? { granted: false, reason: 'queued' } : evaluateSlot(state, this.options.limits, tokens, now, this.timing);
    if (verdict.granted) {
      leaveQueue(state, id);
      state.leases.push({ id, ...currentHolder(), startedAt: now, expiresAt: now + this.leaseMs });
      state.starts.push({ id, at: now, tokens });
      state.lastStartAt = now;
    }
    return { verdict, now, ahead, inFlight: state.leases.length, pausedUntil: state.pausedUntil };
  }

  /**
   * Keep every process from starting requests before `until` (this machine's clock: now + a server's Retry-After).
   * The state keeps times on the store's clock, so the wait is moved onto it: machines with skewed clocks pause alike.
   */
  async pauseUntil(until: number): Promise<void> {
    const waitMs = until - this.clock();
    await this.update((state, now) => {
      state.pausedUntil = Math.max(state.pausedUntil, now + waitMs);
    });
  }

  /**
   * Feed a response's rate-limit headers (see `parseProviderFeedback`) to every process: they can only add waits (no
   * start while the provider reports nothing remaining until its reset). Resolves once recorded; never rejects.
   * Feedback without a usable window (a server sending no headers) changes nothing and touches no shared state.
   */
  async tighten(feedback: ProviderFeedback): Promise<void> {
    if (isUnknownFeedback(feedback)) return;
    const localNow = this.clock();
    await this.update((state, now) => tightenProviderLimits(state, onStoreClock(feedback, now - localNow), now)).catch(() => undefined);
  }

  private sleepMs(retryInMs: number | undefined): number {
    if (retryInMs === undefined) return this.pollMs * (1 + Math.random());
    return Math.min(MAX_SLEEP_MS, Math.max(1, retryInMs));
  }

  private startLease(id: string, startedAt: number, waitedMs: number): RateLimitLease {
    const heartbeat = setInterval(() => {
      this.update((state, now) => {
        const lease = state.leases.find((candidate: Lease) => candidate.id === id);
        if (lease) lease.expiresAt = now + this.leaseMs;
      }).catch(() => undefined); // a missed renewal only shortens the lease
    }, this.heartbeatMs);
    heartbeat.unref();
    let released = false;
    let sent: Promise<number | undefined> | undefined;
    const markSent = () =>
      (sent ??= this.update((state, now) => {
        const lease = state.leases.find((candidate) => candidate.id === id);
        if (lease) lease.sentAt = now;
        moveStartTo(state, id, now);
        return now;
      }).catch(() => undefined)); // the lease expires on its own
    return {
      startedAt,
      waitedMs,
      markSent,
      release: async (actualTokens?: number) => {
        if (released) return undefined;
        released = true;
        clearInterval(heartbeat);
        await sent;
        return this.update((state, now) => {
          const lease = state.leases.find((candidate) => candidate.id === id);
          if (lease && lease.sentAt === undefined) moveStartTo(state, id, now); // never reported: assume sent just now
          state.leases = state.leases.filter((candidate) => candidate.id !== id);
          const start = state.starts.find((candidate) => candidate.id === id);
          if (start && actualTokens !== undefined) start.tokens = actualTokens;
          return now;
        }).catch(() => undefined); // the lease expires on its own
      },
    };
  }

  private update<T>(change: Parameters<typeof updateLimiterState<T>>[1], signal?: AbortSignal): Promise<T> {
    return this.store.update(
      (state, now) => {
        pruneState(state, now, this.timing.windowMs + this.timing.windowGuardMs);
        return change(state, now);
      },
      signal,
    );
  }
}

/** Feedback whose reset times (this machine's clock) are moved by `offsetMs` onto the store's clock. */
function onStoreClock(feedback: ProviderFeedback, offsetMs: number): ProviderFeedback {
  const shift = (window: ProviderFeedback['requests']) => (window.resetAt === undefined ? window : { ...window, resetAt: window.resetAt + offsetMs });
  return { requests: shift(feedback.requests), tokens: shift(feedback.tokens) };
}

/** Move a start record (and `lastStartAt`) to the request's send time; the list stays sorted. */
function moveStartTo(state: LimiterState, id: string, at: number): void {
  const start = state.starts.find((candidate) => candidate.id === id);
  if (start) start.at = Math.max(start.at, at);
  state.starts.sort((a, b) => a.at - b.at);
  state.lastStartAt = Math.max(state.lastStartAt, at);
}

/**
 * Where a limiter's shared state lives. Every `update` is one atomic read-modify-write: `change` gets the pruned
 * state and the store's clock, mutates the state, and its result is returned once the new state is stored.
 */
export interface LimiterStateStore {
  update<T>(change: (state: LimiterState, now: number) => T, signal?: AbortSignal): Promise<T>;
}

/** The state in `<dir>/state.json`, changed under `<dir>/state.lock` (one machine). */
export function fileLimiterStore(dir: string): LimiterStateStore {
  return { update: (change, signal) => updateLimiterState(dir, change, signal) };
}

function missingStateDir(): never {
  throw new Error('nx-phases internal error: a rate limiter needs a stateDir or a store');
}
