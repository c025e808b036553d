import { readShellIntervals } from './utils/generator-log';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/** Section 5 "Sequential fallback": with `"parallel": false` no two phases overlap, even under --parallel=8. */
describe('"parallel": false', () => {
  const scenario = createScenario('sequential');
  const { workspace, logFile } = scenario;
  // A plain shell command: log start, sleep, write the planned file, log end (nanosecond timestamps).
  const command =
    `echo "$NX_PHASES_PHASE_NUMBER start $(date +%s%N)" >> '${logFile}' && sleep 0.5 && mkdir -p out && ` +
    `echo "phase $NX_PHASES_PHASE_NUMBER" > "out/p$NX_PHASES_PHASE_NUMBER.txt" && ` +
    `echo "$NX_PHASES_PHASE_NUMBER end $(date +%s%N)" >> '${logFile}'`;
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
      for (let i = 1; i < intervals.length; i++) {
        // Ordering, not timing: each call starts only after the previous one ended.
        expect({ phase: intervals[i].phase, startsAfterPreviousEnd: intervals[i].start >= intervals[i - 1].end }).toEqual({
          phase: intervals[i].phase,
          startsAfterPreviousEnd: true,
        });
      }
    });
  });
});
