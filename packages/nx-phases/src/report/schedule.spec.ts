import { testPlan } from '../test-utils/report-plan';
import { criticalPath, makespanLowerBound } from './schedule';

describe('criticalPath', () => {
  const diamond = testPlan([
    [1, 'Setup', []],
    [2, 'Database', [1]],
    [3, 'Auth', [1]],
    [4, 'Checkout', [2, 3]],
    [5, 'Contact', [1]],
  ]);

  it('counts phases on the longest chain, ties going to the lower number', () => {
    expect(criticalPath(diamond, () => 1)).toEqual({ phases: [1, 2, 4], length: 3 });
  });

  it('follows the heaviest chain under durations', () => {
    const ms = new Map([[1, 100], [2, 50], [3, 300], [4, 10], [5, 200]]);
    expect(criticalPath(diamond, (n) => ms.get(n)!)).toEqual({ phases: [1, 3, 4], length: 410 });
  });

  it('picks a lone heavy phase over a long light chain', () => {
    const ms = new Map([[1, 1], [2, 1], [3, 1], [4, 1], [5, 10]]);
    expect(criticalPath(diamond, (n) => ms.get(n)!)).toEqual({ phases: [1, 5], length: 11 });
  });

  it('includes edges added by conflict resolution', () => {
    const plan = testPlan([
      [1, 'A', [], ['src/shared.ts']],
      [2, 'B', [], ['src/shared.ts']],
    ]);
    expect(criticalPath(plan, () => 1).phases).toEqual([1, 2]);
  });
});

describe('makespanLowerBound', () => {
  it('is the critical path when the graph is narrow', () => {
    expect(makespanLowerBound(10, 12, 3)).toBe(10);
  });

  it('is total work over the workers when the graph is wide', () => {
    expect(makespanLowerBound(2, 12, 3)).toBe(4);
  });

  it('rejects a parallel value below 1 with a fix', () => {
    expect(() => makespanLowerBound(1, 1, 0)).toThrow(/--parallel=3/);
  });
});
