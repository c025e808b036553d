import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { appStateWithoutTimings } from './utils/app-state';
import { readGeneratorLog } from './utils/generator-log';
import { commandGenerator } from './utils/phase-command';
import { writePlan } from './utils/plan-file';
import { schedulePlan } from './utils/schedule-plan';
import { createScenario } from './utils/scenario';
import { SCENARIO_TIMEOUT_MS, step } from './utils/steps';
import { withOutput } from './utils/with-output';

/**
 * Section 5 "Schedule independence" (principle 2): --parallel=1 and --parallel=4 with random per-phase sleeps
 * give byte-identical app folders and records (see `schedulePlan`: phases that modify a file others read).
 */
describe('schedule independence', () => {
  const scenario = createScenario('schedule');
  const { workspace } = scenario;
  const app = (...parts: string[]) => workspace.path('apps/sched', ...parts);
  const plan = schedulePlan('sched', commandGenerator(scenario.command({ randomSleepMs: 400 })));
  const generated = () => readdirSync(app()).filter((name) => name !== 'phases.json' && name !== 'docs');
  /** The app folder with each manifest's durationMs removed (the only field allowed to differ). */
  const appState = () => appStateWithoutTimings(app());
  let sequential: Record<string, string>;

  beforeAll(() => {
    writePlan(workspace.root, 'apps/sched', plan);
    mkdirSync(app('docs'), { recursive: true });
    writeFileSync(app('docs', 'spec.md'), '# Spec\n');
    workspace.commitAll('sched plan');
  });

  it('runs the plan at --parallel=1, then at --parallel=4, then from the cache: one scenario, each step comparing with the --parallel=1 result', () => {
    step('runs with --parallel=1', () => {
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=1', '--skip-nx-cache']);
      withOutput(run, () => expect(scenario.calls()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
      sequential = appState();
      expect(Object.keys(sequential)).toContain('src/shared.ts');
    });

    step('gives a concurrent reader the version of the file its dependencies recorded, not a sibling\'s', () => {
      const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
      const three = readFileSync(app('src/three.ts'), 'utf8');
      expect(three).toContain(`src/shared.ts@${sha(app('.phases/1/files/src/shared.ts'))}`);
      expect(sha(app('.phases/1/files/src/shared.ts'))).not.toBe(sha(app('.phases/2/files/src/shared.ts')));
      const final = readFileSync(app('src/eight.ts'), 'utf8');
      expect(final).toContain(`src/shared.ts@${sha(app('.phases/7/files/src/shared.ts'))}`);
      expect(readFileSync(app('src/shared.ts'))).toEqual(readFileSync(app('.phases/7/files/src/shared.ts')));
    });

    step('gives byte-identical app folders and records with --parallel=4', () => {
      for (const name of generated()) rmSync(app(name), { recursive: true, force: true });
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=4', '--skip-nx-cache']);
      withOutput(run, () => expect(scenario.calls()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
      expect(appState()).toEqual(sequential);
    });

    step('hands every generator the same snapshot listing in both runs', () => {
      const entries = readGeneratorLog(scenario.logFile).filter((e) => e.event === 'start');
      for (const entry of entries) expect(entry.contextFiles).toEqual(entry.seen);
    });

    step('computes schedule-independent cache keys: a --parallel=4 run fills the cache, a --parallel=1 run after deleting the outputs calls no generator', () => {
      const filling = workspace.runPhases(['--parallel=4']);
      withOutput(filling, () => expect(appState()).toEqual(sequential));
      for (const name of generated()) rmSync(app(name), { recursive: true, force: true });
      scenario.resetCalls();
      const restoring = workspace.runPhases(['--parallel=1']);
      withOutput(restoring, () => {
        expect(scenario.calls()).toEqual([]);
        expect(restoring.ran).toEqual([]);
      });
      expect(appState()).toEqual(sequential);
    });

    step('keeps every key stable on a --parallel=4 re-run over the live folder (the dependentTasksOutputFiles trap)', () => {
      scenario.resetCalls();
      const rerun = workspace.runPhases(['--parallel=4']);
      withOutput(rerun, () => {
        expect(scenario.calls()).toEqual([]);
        expect(rerun.ran).toEqual([]);
      });
    });
  }, SCENARIO_TIMEOUT_MS);
});
