import { loggedSleepCommand, overlappingCalls, readShellIntervals } from './utils/generator-log';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/** Section 5 "Sequential fallback": with `"parallel": false` no two phases overlap, even under --parallel=8. */
describe('"parallel": false', () => {
  const scenario = createScenario('sequential');
  const { workspace, logFile } = scenario;
  const command = loggedSleepCommand(logFile);
  const plan: PlanDocument = {
    name: 'serial',
    parallel: false,
    generator: { use: 'nx-phases:command', options: { command } },
    phases: [1, 2, 3, 4].map((n) => ({ number: n, name: `Part ${n}`, features: [`F${n}`], plannedFiles: [`out/p${n}.txt`] })),
  };

  beforeAll(() => {
    writePlan(workspace.root, 'apps/serial', plan);
    workspace.commitAll('serial plan');
  });

  it('marks every phase target parallelism: false', () => {
    expect(workspace.showProject('serial-2-part-2').targets.phase.parallelism).toBe(false);
  });

  it('runs the 4 independent phases one after another under --parallel=8', () => {
    const run = workspace.runPhases(['--parallel=8']);
    withOutput(run, () => {
      const intervals = readShellIntervals(logFile);
      expect(intervals.map((i) => i.phase).sort()).toEqual([1, 2, 3, 4]);
      // Ordering, not timing: each call starts only after the previous one ended.
      expect(overlappingCalls(intervals)).toEqual([]);
    });
  });
});
