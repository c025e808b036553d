import { emptyState, LimiterState, pruneState } from './limiter-state';
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

  it('replaces a window whose reset is exactly now, and an equal remaining count with the newer reset', () => {
    const state = emptyState();
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 0, resetAt: 3_000 } }, 1_000);
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 50, resetAt: 9_000 } }, 3_000);
    expect(state.provider).toEqual({ requests: { remaining: 50, resetAt: 9_000, observedAt: 3_000 } });
    tightenProviderLimits(state, { ...unknown, requests: { remaining: 50, resetAt: 9_500 } }, 3_100);
    expect(state.provider).toEqual({ requests: { remaining: 50, resetAt: 9_500, observedAt: 3_100 } });
  });

  it('compares a new report with the old remaining count less the starts made since it (one at the same ms included)', () => {
    const setUp = () => {
      const state = emptyState();
      tightenProviderLimits(state, { ...unknown, requests: { remaining: 5, resetAt: 5_000 } }, 1_000);
      for (const at of [900, 1_000, 1_100, 1_150]) startAt(state, at); // three since the report
      return state;
    };
    const looser = setUp();
    tightenProviderLimits(looser, { ...unknown, requests: { remaining: 3, resetAt: 6_000 } }, 1_200);
    expect(looser.provider).toEqual({ requests: { remaining: 5, resetAt: 5_000, observedAt: 1_000 } });
    const tighter = setUp();
    tightenProviderLimits(tighter, { ...unknown, requests: { remaining: 2, resetAt: 6_000 } }, 1_200);
    expect(tighter.provider).toEqual({ requests: { remaining: 2, resetAt: 6_000, observedAt: 1_200 } });
  });

  it('compares a new tokens report with the old remaining tokens less the tokens started since it', () => {
    const setUp = () => {
      const state = emptyState();
      startAt(state, 900, 500); // before the report: already counted by the provider
      tightenProviderLimits(state, { ...unknown, tokens: { remaining: 1_000, resetAt: 5_000 } }, 1_000);
      startAt(state, 1_100, 300);
      return state;
    };
    const looser = setUp();
    tightenProviderLimits(looser, { ...unknown, tokens: { remaining: 701, resetAt: 6_000 } }, 1_200);
    expect(looser.provider).toEqual({ tokens: { remaining: 1_000, resetAt: 5_000, observedAt: 1_000 } });
    const tighter = setUp();
    tightenProviderLimits(tighter, { ...unknown, tokens: { remaining: 700, resetAt: 6_000 } }, 1_200);
    expect(tighter.provider).toEqual({ tokens: { remaining: 700, resetAt: 6_000, observedAt: 1_200 } });
  });

  it('lets a request use exactly the remaining tokens, counts tokens started since the report, and lifts the limit at its reset', () => {
    const state = emptyState();
    startAt(state, 900, 500);
    tightenProviderLimits(state, { ...unknown, tokens: { remaining: 100, resetAt: 4_000 } }, 1_000);
    expect(evaluateSlot(state, limits, 100, 1_100, DEFAULT_SLOT_TIMING)).toEqual({ granted: true });
    startAt(state, 1_000, 60);
    expect(evaluateSlot(state, limits, 40, 1_100, DEFAULT_SLOT_TIMING)).toEqual({ granted: true });
    expect(evaluateSlot(state, limits, 41, 1_100, DEFAULT_SLOT_TIMING)).toEqual({ granted: false, reason: 'provider-tokens', retryAt: 4_000 });
    expect(evaluateSlot(state, limits, 41, 4_000, DEFAULT_SLOT_TIMING)).toEqual({ granted: true });
  });

  it('drops an expired window from the shared state and keeps the live one', () => {
    const state = emptyState();
    tightenProviderLimits(state, { requests: { remaining: 0, resetAt: 2_000 }, tokens: { remaining: 10, resetAt: 8_000 } }, 1_000);
    tightenProviderLimits(state, unknown, 2_000);
    expect(state.provider).toEqual({ tokens: { remaining: 10, resetAt: 8_000, observedAt: 1_000 } });
    expect(Object.keys(state.provider ?? {})).toEqual(['tokens']);
    tightenProviderLimits(state, unknown, 8_000);
    expect(state.provider).toBeUndefined();
  });

  it('keeps, when pruning, every start made since the oldest live provider report, even outside the request window', () => {
    const state = emptyState();
    for (const at of [400, 500, 900, 1_000]) startAt(state, at);
    state.provider = {
      requests: { remaining: 1, resetAt: 100_000, observedAt: 1_000 },
      tokens: { remaining: 1, resetAt: 100_000, observedAt: 500 },
    };
    pruneState(state, 70_000, 60_250, () => false);
    expect(state.starts.map((start) => start.at)).toEqual([500, 900, 1_000]);
    state.provider.tokens = { remaining: 1, resetAt: 70_000, observedAt: 500 }; // its reset is now: no longer live
    pruneState(state, 70_000, 60_250, () => false);
    expect(state.starts.map((start) => start.at)).toEqual([1_000]);
    state.provider = undefined;
    pruneState(state, 70_000, 60_250, () => false);
    expect(state.starts).toEqual([]);
  });
});
