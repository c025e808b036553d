import { emptyState, LimiterState } from './limiter-state';
import { tightenProviderLimits } from './provider-window';
import { DEFAULT_SLOT_TIMING, evaluateSlot } from './slot-rules';

const limits = { maxConcurrentRequests: 10, minDelayBetweenMs: 0, requestsPerMinute: 0 };
const unknown = { requests: {}, tokens: {} };

function startAt(state: LimiterState, at: number, tokens = 10): void {
  state.starts.push({ id: `s${at}`, at, tokens });
}

describe('provider limits in the shared limiter state', () => {
  it('blocks starts until the reset once the provider reports no requests remaining', () => {
    const state = emptyState();
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 0, resetAt: 3_000 } }, 1_000);
    expect(evaluateSlot(state, limits, 0, 1_500, DEFAULT_SLOT_TIMING)).toEqual({ granted: false, reason: 'provider-requests', retryAt: 3_000 });
    expect(evaluateSlot(state, limits, 0, 3_000, DEFAULT_SLOT_TIMING)).toEqual({ granted: true });
  });

  it('counts the starts made since the report against its remaining count', () => {
    const state = emptyState();
    startAt(state, 900); // sent before the report: the provider already counted it
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 2, resetAt: 5_000 } }, 1_000);
    expect(evaluateSlot(state, limits, 0, 1_100, DEFAULT_SLOT_TIMING)).toEqual({ granted: true });
    startAt(state, 1_100);
    startAt(state, 1_200);
    expect(evaluateSlot(state, limits, 0, 1_300, DEFAULT_SLOT_TIMING)).toMatchObject({ granted: false, reason: 'provider-requests' });
  });

  it('blocks a request whose tokens do not fit the remaining tokens', () => {
    const state = emptyState();
    tightenProviderLimits(state, { ...unknown, tokens: { remaining: 100, resetAt: 4_000 } }, 1_000);
    expect(evaluateSlot(state, limits, 90, 1_100, DEFAULT_SLOT_TIMING)).toEqual({ granted: true });
    expect(evaluateSlot(state, limits, 101, 1_100, DEFAULT_SLOT_TIMING)).toEqual({ granted: false, reason: 'provider-tokens', retryAt: 4_000 });
  });

  it('only tightens: a looser report does not replace a live stricter one; unknown changes nothing', () => {
    const state = emptyState();
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 0, resetAt: 3_000 } }, 1_000);
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 50, resetAt: 2_000 } }, 1_200);
    tightenProviderLimits(state, unknown, 1_300);
    expect(state.provider).toEqual({ requests: { remaining: 0, resetAt: 3_000, observedAt: 1_000 } });
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 50, resetAt: 9_000 } }, 3_500); // the old one expired
    expect(state.provider).toEqual({ requests: { remaining: 50, resetAt: 9_000, observedAt: 3_500 } });
  });

  it('a report with a remaining count but no reset time is unknown', () => {
    const state = emptyState();
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 0 } }, 1_000);
    expect(state.provider).toBeUndefined();
    expect(evaluateSlot(state, limits, 0, 1_100, DEFAULT_SLOT_TIMING)).toEqual({ granted: true });
  });
});
