import type { LimiterState } from './limiter-state';
import { isKnown, ProviderFeedback, ProviderWindow } from './provider-headers';

/** A provider's remaining count as the shared limiter keeps it: valid until `resetAt`, counted from `observedAt`. */
export interface ProviderLimitState {
  remaining: number;
  resetAt: number;
  /** When the response carrying it was received; starts from then on use it up. */
  observedAt: number;
}

/** The provider limits the shared state holds (absent = unknown, no constraint). */
export interface ProviderLimits {
  requests?: ProviderLimitState;
  tokens?: ProviderLimitState;
}

/**
 * Records feedback received at `now` only where it tightens: it replaces a window that has expired, or whose
 * remaining count (less what started since it was observed) is not lower than the new one. Unknown windows change nothing.
 */
export function tightenProviderLimits(state: LimiterState, feedback: ProviderFeedback, now: number): void {
  const limits: ProviderLimits = { ...state.provider };
  limits.requests = tighter(limits.requests, feedback.requests, now, startsSince(state, limits.requests)?.length ?? 0);
  limits.tokens = tighter(limits.tokens, feedback.tokens, now, tokensSince(state, limits.tokens));
  state.provider = dropExpired(limits, now);
}

/** When a request needing `tokens` may start under the provider's reported limits; undefined when it may start now. */
export function providerRetryAt(state: LimiterState, tokens: number, now: number): { reason: 'provider-requests' | 'provider-tokens'; retryAt: number } | undefined {
  const { requests, tokens: tokenLimit } = state.provider ?? {};
  if (requests && requests.resetAt > now && (startsSince(state, requests)?.length ?? 0) >= requests.remaining) {
    return { reason: 'provider-requests', retryAt: requests.resetAt };
  }
  if (tokenLimit && tokenLimit.resetAt > now && tokensSince(state, tokenLimit) + tokens > tokenLimit.remaining) {
    return { reason: 'provider-tokens', retryAt: tokenLimit.resetAt };
  }
  return undefined;
}

/** The oldest time a live provider window still counts starts from (prune must keep those starts). */
export function oldestProviderObservation(state: LimiterState, now: number): number | undefined {
  const live = [state.provider?.requests, state.provider?.tokens].filter((limit) => limit && limit.resetAt > now);
  return live.length ? Math.min(...live.map((limit) => (limit as ProviderLimitState).observedAt)) : undefined;
}

function tighter(current: ProviderLimitState | undefined, reported: ProviderWindow, now: number, usedSince: number): ProviderLimitState | undefined {
  if (!isKnown(reported)) return current;
  const next = { remaining: reported.remaining, resetAt: reported.resetAt, observedAt: now };
  if (!current || current.resetAt <= now || next.remaining <= current.remaining - usedSince) return next;
  return current;
}

function dropExpired(limits: ProviderLimits, now: number): ProviderLimits | undefined {
  const kept: ProviderLimits = {};
  if (limits.requests && limits.requests.resetAt > now) kept.requests = limits.requests;
  if (limits.tokens && limits.tokens.resetAt > now) kept.tokens = limits.tokens;
  return kept.requests || kept.tokens ? kept : undefined;
}

function startsSince(state: LimiterState, limit: ProviderLimitState | undefined) {
  return limit ? state.starts.filter((start) => start.at >= limit.observedAt) : undefined;
}

function tokensSince(state: LimiterState, limit: ProviderLimitState | undefined): number {
  return (startsSince(state, limit) ?? []).reduce((sum, start) => sum + start.tokens, 0);
}
