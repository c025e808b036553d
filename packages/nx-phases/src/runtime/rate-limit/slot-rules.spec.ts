import { emptyState, LimiterState } from './limiter-state';
import { DEFAULT_SLOT_TIMING, evaluateSlot, SlotTiming } from './slot-rules';

const timing: SlotTiming = { windowMs: 60_000, spacingGuardMs: 25, windowGuardMs: 250 };
const limits = { maxConcurrentRequests: 2, minDelayBetweenMs: 300, requestsPerMinute: 3 };
const holder = { pid: 1, host: 'h', expiresAt: Infinity };

function stateWith(starts: number[], leases = 0, tokens = 0): LimiterState {
  const state = emptyState();
  state.starts = starts.map((at, i) => ({ id: `s${i}`, at, tokens }));
  state.lastStartAt = starts.at(-1) ?? 0;
  state.leases = Array.from({ length: leases }, (_, i) => ({ id: `l${i}`, startedAt: 0, ...holder }));
  return state;
}

describe('evaluateSlot', () => {
  it('grants a slot on an empty state', () => {
    expect(evaluateSlot(emptyState(), limits, 0, 1000, timing)).toEqual({ granted: true });
  });

  it('blocks at maxConcurrentRequests without a known end', () => {
    expect(evaluateSlot(stateWith([0], 2), limits, 0, 10_000, timing)).toEqual({ granted: false, reason: 'concurrency' });
  });

  it('spaces starts by minDelayBetweenMs plus the guard', () => {
    expect(evaluateSlot(stateWith([1000]), limits, 0, 1200, timing)).toEqual({
      granted: false,
      reason: 'spacing',
      retryAt: 1325,
    });
    expect(evaluateSlot(stateWith([1000]), limits, 0, 1325, timing)).toEqual({ granted: true });
  });

  it('blocks while a granted request is still being sent, when spacing applies', () => {
    const state = stateWith([1000], 1);
    expect(evaluateSlot(state, limits, 0, 9000, timing)).toEqual({ granted: false, reason: 'spacing' });
    state.leases[0].sentAt = 1000;
    expect(evaluateSlot(state, limits, 0, 9000, timing)).toEqual({ granted: true });
    expect(evaluateSlot(stateWith([1000], 1), { ...limits, minDelayBetweenMs: 0 }, 0, 9000, timing)).toEqual({ granted: true });
  });

  it('allows requestsPerMinute starts per sliding window (plus guard)', () => {
    const state = stateWith([1000, 2000, 3000]);
    expect(evaluateSlot(state, limits, 0, 5000, timing)).toEqual({
      granted: false,
      reason: 'requests-per-minute',
      retryAt: 61_250,
    });
    expect(evaluateSlot(state, limits, 0, 61_250, timing)).toEqual({ granted: true });
  });

  it('reserves tokensPerMinute and waits until enough leave the window', () => {
    const tpm = { ...limits, requestsPerMinute: 0, tokensPerMinute: 1000 };
    const state = stateWith([1000, 2000], 0, 400);
    expect(evaluateSlot(state, tpm, 200, 5000, timing)).toEqual({ granted: true });
    expect(evaluateSlot(state, tpm, 500, 5000, timing)).toEqual({
      granted: false,
      reason: 'tokens-per-minute',
      retryAt: 61_250,
    });
  });

  it('lets a request larger than tokensPerMinute through once the window is empty', () => {
    const tpm = { ...limits, tokensPerMinute: 1000 };
    expect(evaluateSlot(emptyState(), tpm, 5000, 5000, timing)).toEqual({ granted: true });
  });

  it('honours a shared pause first', () => {
    const state = emptyState();
    state.pausedUntil = 9000;
    expect(evaluateSlot(state, limits, 0, 5000, timing)).toEqual({ granted: false, reason: 'paused', retryAt: 9000 });
  });

  it('treats zero limits as unlimited', () => {
    const none = { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 0 };
    expect(evaluateSlot(stateWith([4999, 4999, 4999, 4999]), none, 0, 5000, timing)).toEqual({ granted: true });
  });

  it('ends a shared pause at its time', () => {
    const state = emptyState();
    state.pausedUntil = 9000;
    expect(evaluateSlot(state, limits, 0, 9000, timing)).toEqual({ granted: true });
  });

  it('grants a slot below maxConcurrentRequests', () => {
    expect(evaluateSlot(stateWith([0], 1), { ...limits, minDelayBetweenMs: 0 }, 0, 10_000, timing)).toEqual({ granted: true });
  });

  it('waits for the oldest starts of a full window when more starts than requestsPerMinute are in it', () => {
    expect(evaluateSlot(stateWith([1000, 2000, 3000, 4000]), { ...limits, minDelayBetweenMs: 0 }, 0, 5000, timing)).toEqual({
      granted: false,
      reason: 'requests-per-minute',
      retryAt: 62_250,
    });
  });

  it('treats a tokensPerMinute of 0 as unlimited, whatever the window holds', () => {
    const none = { ...limits, requestsPerMinute: 0, tokensPerMinute: 0 };
    expect(evaluateSlot(stateWith([1000, 2000], 0, 400), none, 5000, 5000, timing)).toEqual({ granted: true });
  });

  it('waits until enough tokens leave the window, a request using exactly the rest being let through', () => {
    const tpm = { ...limits, requestsPerMinute: 0, tokensPerMinute: 1000 };
    const state = stateWith([1000, 2000], 0, 400);
    expect(evaluateSlot(state, tpm, 600, 5000, timing)).toEqual({ granted: false, reason: 'tokens-per-minute', retryAt: 61_250 });
    expect(evaluateSlot(state, tpm, 601, 5000, timing)).toEqual({ granted: false, reason: 'tokens-per-minute', retryAt: 62_250 });
  });

  it('holds a request larger than tokensPerMinute until the last start with tokens has left the window', () => {
    const tpm = { ...limits, requestsPerMinute: 0, tokensPerMinute: 1000 };
    expect(evaluateSlot(stateWith([1000, 2000], 0, 400), tpm, 5000, 5000, timing)).toEqual({ granted: false, reason: 'tokens-per-minute', retryAt: 62_250 });
    expect(evaluateSlot(stateWith([1000, 2000], 0, 0), tpm, 5000, 5000, timing)).toEqual({ granted: true });
  });

  it('does not space the first request from time 0: no start yet means no wait, on any clock', () => {
    expect(evaluateSlot(emptyState(), limits, 0, 100, timing)).toEqual({ granted: true });
  });

  it('times production slots with a 60 s window plus 250 ms and a 50 ms spacing guard', () => {
    const one = { maxConcurrentRequests: 5, minDelayBetweenMs: 100, requestsPerMinute: 1 };
    expect(evaluateSlot(stateWith([1000]), one, 0, 1100, DEFAULT_SLOT_TIMING)).toEqual({ granted: false, reason: 'spacing', retryAt: 1150 });
    expect(evaluateSlot(stateWith([1000]), one, 0, 1150, DEFAULT_SLOT_TIMING)).toEqual({ granted: false, reason: 'requests-per-minute', retryAt: 61_250 });
  });
});
