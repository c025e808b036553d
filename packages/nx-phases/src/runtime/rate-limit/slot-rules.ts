import type { RateLimit } from '../../plan/types';
import type { LimiterState } from './limiter-state';
import { providerRetryAt } from './provider-window';

/** Why a request may not start yet. */
export type SlotBlockReason =
  | 'queued'
  | 'paused'
  | 'concurrency'
  | 'spacing'
  | 'requests-per-minute'
  | 'tokens-per-minute'
  | 'provider-requests'
  | 'provider-tokens';

/** The answer for one request: start now, or wait (until `retryAt` when it is known). */
export type SlotVerdict = { granted: true } | { granted: false; reason: SlotBlockReason; retryAt?: number };

/** Window lengths and safety guards (see `DEFAULT_SLOT_TIMING`). */
export interface SlotTiming {
  /** Length of the sliding window for requestsPerMinute / tokensPerMinute (60000 in production). */
  windowMs: number;
  /** Added to minDelayBetweenMs, so jitter between sending a request and its arrival cannot close a gap. */
  spacingGuardMs: number;
  /** Added to the window for the same reason. */
  windowGuardMs: number;
}

/** Production timing: a 60 s window, 50 ms spacing guard, 250 ms window guard. */
export const DEFAULT_SLOT_TIMING: SlotTiming = { windowMs: 60_000, spacingGuardMs: 50, windowGuardMs: 250 };

/**
 * Decide whether a request needing `tokens` may start at `now`, given the (pruned) shared state.
 * With a minDelayBetweenMs, nothing starts while another granted request is still being sent,
 * and the delay counts from the previous request's send time, so a slow sender cannot bunch
 * arrivals. Limits ≤ 0 (requestsPerMinute, tokensPerMinute, minDelayBetweenMs) mean "no limit".
 * A request larger than tokensPerMinute on its own may start once the token window is empty. The provider's own
 * reported limits (rate-limit headers, see `tightenProviderLimits`) only add waits.
 */
export function evaluateSlot(
  state: LimiterState,
  limits: RateLimit,
  tokens: number,
  now: number,
  timing: SlotTiming,
): SlotVerdict {
  if (state.pausedUntil > now) return { granted: false, reason: 'paused', retryAt: state.pausedUntil };
  const provider = providerRetryAt(state, tokens, now);
  if (provider) return { granted: false, ...provider };
  if (state.leases.length >= Math.max(1, limits.maxConcurrentRequests)) return { granted: false, reason: 'concurrency' };
  if (limits.minDelayBetweenMs > 0 && state.leases.some((lease) => lease.sentAt === undefined)) {
    return { granted: false, reason: 'spacing' };
  }
  if (limits.minDelayBetweenMs > 0 && state.lastStartAt > 0) {
    const spacedAt = state.lastStartAt + limits.minDelayBetweenMs + timing.spacingGuardMs;
    if (spacedAt > now) return { granted: false, reason: 'spacing', retryAt: spacedAt };
  }
  const span = timing.windowMs + timing.windowGuardMs;
  const inWindow = state.starts.filter((start) => start.at > now - span);
  const rpm = limits.requestsPerMinute;
  if (rpm > 0 && inWindow.length >= rpm) {
    return { granted: false, reason: 'requests-per-minute', retryAt: inWindow[inWindow.length - rpm].at + span };
  }
  const tokenRetryAt = tokenWindowRetryAt(inWindow, limits.tokensPerMinute ?? 0, tokens, span);
  if (tokenRetryAt !== undefined) return { granted: false, reason: 'tokens-per-minute', retryAt: tokenRetryAt };
  return { granted: true };
}

/** When enough tokens leave the window for `tokens` more; undefined when they fit now. */
function tokenWindowRetryAt(
  inWindow: LimiterState['starts'],
  tokensPerMinute: number,
  tokens: number,
  span: number,
): number | undefined {
  if (tokensPerMinute <= 0) return undefined;
  let used = inWindow.reduce((sum, start) => sum + start.tokens, 0);
  if (used === 0 || used + tokens <= tokensPerMinute) return undefined;
  for (const start of inWindow) {
    used -= start.tokens;
    if (used === 0 || used + tokens <= tokensPerMinute) return start.at + span;
  }
  return undefined;
}
