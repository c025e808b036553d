import { existsSync, readFileSync } from 'node:fs';
import { readGeneratorLog } from './utils/generator-log';
import { listFiles } from './utils/folder-snapshot';
import { BRITTLE_SURVIVORS, brittlePhases } from './utils/brittle-plan';
import { commandGenerator } from './utils/phase-command';
import { editPlan, phaseOf, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/** Section 5 "Failure": a failed phase commits nothing, siblings commit, dependents wait; the fix re-runs only what is needed. */
describe('a failing phase', () => {
  const scenario = createScenario('failure');
  const { workspace } = scenario;
  const app = (...parts: string[]) => workspace.path('apps/brittle', ...parts);
  const plan: PlanDocument = {
    name: 'brittle',
    generator: commandGenerator(scenario.command()),
    phases: brittlePhases(scenario),
  };
  let firstRun: ReturnType<typeof workspace.runPhases>;

  beforeAll(() => {
    writePlan(workspace.root, 'apps/brittle', plan);
    workspace.commitAll('fail plan');
    firstRun = workspace.runPhases(['--parallel=3'], { allowFailure: true });
  });

  it('fails the run, with the command\'s stderr tail in the output', () => {
    withOutput(firstRun, () => {
      expect(firstRun.status).not.toBe(0);
      expect(firstRun.output).toContain('phase 2 fails on purpose');
      expect(firstRun.output).toMatch(/code 1\b/);
    });
  });

  it('reports the failed phase\'s dependent as skipped, in last-run.json and in the summary (Nx leaves it out of its results)', () => {
    withOutput(firstRun, () => {
      const report = JSON.parse(readFileSync(workspace.path('.nx/nx-phases/last-run.json'), 'utf8')) as { plans: Array<{ plan: string; phases: Array<{ number: number; status: string }> }> };
      const brittle = report.plans.find((p) => p.plan === 'brittle')!;
      expect(brittle.phases.map((p) => `${p.number} ${p.status}`)).toEqual(['1 ran', '2 failed', '3 ran', '4 skipped', '5 ran']);
      expect(firstRun.output).toContain('nx-phases: brittle: 5 phases: 3 ran, 0 cache hits, 1 failed, 1 skipped');
    });
  });

  it('calls the failing phase and every phase that does not depend on it, never its dependents', () => {
    withOutput(firstRun, () => expect(scenario.calls()).toEqual([1, 2, 3, 5]));
  });

  it('leaves no file of the failed phase (no planned file, no record, no temp file), and its siblings committed', () => {
    expect(listFiles(app())).toEqual(BRITTLE_SURVIVORS);
  });

  it('removes the snapshot folders and context files, the failed phase\'s included', () => {
    const entries = readGeneratorLog(scenario.logFile).filter((e) => e.event === 'start');
    expect(entries.map((e) => e.phase).sort()).toEqual([1, 2, 3, 5]);
    const left = entries.filter((e) => existsSync(e.cwd!) || existsSync(e.contextFile!)).map((e) => e.phase);
    expect(left).toEqual([]);
  });

  it('after the fix, re-runs only the failed phase and its dependents', () => {
    editPlan(workspace.root, 'apps/brittle', (p) => delete phaseOf(p, 2).generator);
    workspace.commitPaths('fix phase 2', ['apps/brittle/phases.json']);
    scenario.resetCalls();
    const run = workspace.runPhases(['--parallel=3']);
    withOutput(run, () => {
      expect(scenario.calls()).toEqual([2, 4]);
      expect(run.ran).toEqual(['brittle-2-broken', 'brittle-4-after-broken']);
    });
    for (const file of ['src/broken.ts', 'src/after-broken.ts', '.phases/2/manifest.json', '.phases/4/manifest.json']) {
      expect(existsSync(app(file))).toBe(true);
    }
  });
});
