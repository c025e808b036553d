import { testPlan } from '../test-utils/report-plan';
import { estimateDurations } from './durations';
import { formatDuration } from './format-duration';

describe('estimateDurations', () => {
  const plan = testPlan([[1, 'A', []], [2, 'B', [1]], [3, 'C', [1]], [4, 'D', [1]]]);

  it('has no estimate without any measurement', () => {
    expect(estimateDurations(plan, new Map())).toBeUndefined();
  });

  it('fills unmeasured phases with the median of the measured ones', () => {
    const estimate = estimateDurations(plan, new Map([[1, 100], [2, 300], [3, 200]]))!;
    expect(estimate.measured).toBe(3);
    expect([...estimate.ms]).toEqual([[1, 100], [2, 300], [3, 200], [4, 200]]);
  });

  it('uses the mean of the middle two for an even count', () => {
    expect(estimateDurations(plan, new Map([[1, 100], [2, 300]]))!.ms.get(4)).toBe(200);
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850 ms'],
    [12_340, '12.3 s'],
    [125_000, '2 min 05 s'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
