import { testPlan } from '../test-utils/report-plan';
import { criticalPath } from './schedule';

// What the run report and the estimate rely on: the critical path is the same for the same plan and durations.
describe('criticalPath: ties and phases that take no time', () => {
  it('keeps a phase that took no time (a cache hit) on the chain that runs through it', () => {
    const plan = testPlan([
      [1, 'Setup', []],
      [2, 'Auth', [1]],
    ]);
    expect(criticalPath(plan, (n) => (n === 1 ? 0 : 5))).toEqual({ phases: [1, 2], length: 5 });
  });

  it('ends the chain at the lower-numbered phase when two chains finish together', () => {
    const plan = testPlan([
      [1, 'Setup', []],
      [2, 'Docs', []],
    ]);
    expect(criticalPath(plan, () => 1)).toEqual({ phases: [1], length: 1 });
  });

  it('goes through the lower-numbered dependency on a tie, an edge added by conflict resolution included', () => {
    // Phase 3 depends on 2 in the plan; it and phase 1 both write src/shared.ts, so it also runs after 1.
    const plan = testPlan([
      [1, 'Setup', [], ['src/shared.ts']],
      [2, 'Docs', [], ['src/docs.ts']],
      [3, 'Shop', [2], ['src/shared.ts']],
    ]);
    expect(criticalPath(plan, () => 1)).toEqual({ phases: [1, 3], length: 2 });
  });
});
