import { existsSync } from 'node:fs';
import type { NxRun } from './utils/e2e-workspace';
import { commandGate } from './utils/command-gate';
import { BRITTLE_SURVIVORS, brittlePhases } from './utils/brittle-plan';
import { listFiles } from './utils/folder-snapshot';
import { fourteenPhasePlan } from './utils/fourteen-phases';
import { loggedSleepCommand, overlappingCalls, readShellIntervals } from './utils/generator-log';
import { killProcessTree, startNx } from './utils/nx-async';
import { commandGenerator } from './utils/phase-command';
import { editPlan, phaseOf, phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { waitFor } from './utils/wait-for';
import { withOutput } from './utils/with-output';

/**
 * Issue 10: in batch mode a failing phase fails alone (its independent siblings commit and are cached, its
 * dependents never run, the worker keeps going), `"parallel": false` plans never overlap, and a batch killed
 * with SIGKILL does not make the next run pay again for the phases it had committed.
 */
describe('batch mode: a failing phase fails alone', () => {
  const scenario = createScenario('batch-failure');
  const { workspace } = scenario;
  const app = (...parts: string[]) => workspace.path('apps/bbrittle', ...parts);
  const unplanned = 'mkdir -p src && echo extra > src/extra.ts && echo six > src/six.ts';
  const plan: PlanDocument = {
    name: 'bbrittle',
    generator: commandGenerator(scenario.command()),
    phases: [
      // Phase 3 is slow, so that its dependent 5 starts only after phase 2 has failed: the worker must keep going.
      ...brittlePhases(scenario, 1500),
      // Writes a file it does not plan: validation rejects it.
      { number: 6, name: 'Unplanned', features: ['Extra'], dependencies: [1], plannedFiles: ['src/six.ts'], generator: commandGenerator(unplanned) },
      { number: 7, name: 'After Unplanned', features: ['Later'], dependencies: [6], plannedFiles: ['src/after-unplanned.ts'] },
    ],
  };
  let run: NxRun;

  beforeAll(() => {
    writePlan(workspace.root, 'apps/bbrittle', plan);
    workspace.commitAll('batch failure plan');
    run = workspace.runPhases(['--batch', '--parallel=3'], { allowFailure: true });
  });

  it('fails the run with each failure explained in its own output', () => {
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('with nx-phases:phase');
      expect(run.output).toContain('phase 2 fails on purpose');
      expect(run.output).toMatch(/"?src\/extra\.ts"? is not in its plannedFiles/);
    });
  });

  it('runs the independent phases and never the dependents of a failed phase, which Nx lists as not run', () => {
    withOutput(run, () => {
      expect(scenario.calls()).toEqual([1, 2, 3, 5]);
      const notRun = run.output.split('Tasks not run because their dependencies failed')[1]?.split('Failed tasks:')[0] ?? '';
      expect(notRun).toContain('bbrittle-4-after-broken:phase');
      expect(notRun).toContain('bbrittle-7-after-unplanned:phase');
    });
  });

  it('commits the siblings and nothing of a failed phase (no planned file, no record, no temp file)', () => {
    expect(listFiles(app())).toEqual(BRITTLE_SURVIVORS);
  });

  it('caches the siblings: after the fix a plain run redoes only the failed phases and their dependents', () => {
    editPlan(workspace.root, 'apps/bbrittle', (p) => {
      delete phaseOf(p, 2).generator;
      delete phaseOf(p, 6).generator;
    });
    workspace.commitPaths('fix phases 2 and 6', ['apps/bbrittle/phases.json']);
    scenario.resetCalls();
    const rerun = workspace.runPhases(['--parallel=3']);
    withOutput(rerun, () => {
      expect(scenario.calls()).toEqual([2, 4, 6, 7]);
      expect(rerun.ran).toEqual([2, 4, 6, 7].map((n) => phaseProjectName(plan, n)).sort());
    });
  });
});

describe('batch mode: "parallel": false', () => {
  const scenario = createScenario('batch-sequential');
  const { workspace, logFile } = scenario;
  const command = loggedSleepCommand(logFile);
  const plan: PlanDocument = {
    name: 'bserial',
    parallel: false,
    generator: commandGenerator(command),
    phases: [1, 2, 3, 4].map((n) => ({ number: n, name: `Part ${n}`, features: [`F${n}`], plannedFiles: [`out/p${n}.txt`] })),
  };

  beforeAll(() => {
    writePlan(workspace.root, 'apps/bserial', plan);
    workspace.commitAll('batch serial plan');
  });

  it('runs the 4 independent phases one after another under --batch --parallel=8', () => {
    const run = workspace.runPhases(['--batch', '--parallel=8']);
    withOutput(run, () => {
      const intervals = readShellIntervals(logFile);
      expect(intervals.map((i) => i.phase).sort()).toEqual([1, 2, 3, 4]);
      // Ordering, not timing: each call starts only after the previous one ended.
      expect(overlappingCalls(intervals)).toEqual([]);
    });
  });
});

const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

describeOnLinux('batch mode: a batch killed with SIGKILL', () => {
  const scenario = createScenario('batch-crash');
  const { workspace } = scenario;
  const app = (...parts: string[]) => workspace.path('apps/bcrash', ...parts);
  // Phase 13 waits at the gate, so the test knows when every phase but 13 and its dependent 14 has committed.
  const gate = commandGate(scenario, 'batch-crash');
  const plan = fourteenPhasePlan('bcrash', commandGenerator(scenario.command({ randomSleepMs: 200 })), { 13: commandGenerator(gate.command) });
  const committed = () => plan.phases.filter((p) => existsSync(app('.phases', String(p.number), 'manifest.json'))).map((p) => p.number);
  let committedWhenKilled: number[];
  let rerun: NxRun;

  beforeAll(async () => {
    writePlan(workspace.root, 'apps/bcrash', plan);
    workspace.commitAll('batch crash plan');
    const nx = startNx(workspace, ['run-many', '-t', 'phase', '--outputStyle=static', '--batch', '--parallel=3'], { allowFailure: true });
    try {
      await waitFor('12 committed phases and phase 13 waiting at its gate', () => (gate.held() && committed().length === 12 ? true : undefined), 180_000);
      committedWhenKilled = committed();
    } finally {
      killProcessTree(nx.pid);
      await nx.done;
    }
    gate.open();
    scenario.resetCalls();
    rerun = workspace.runPhases(['--batch', '--parallel=3']);
  });

  it('had committed every phase but the gated one and its dependent when it was killed', () => {
    expect(committedWhenKilled).toEqual(plan.phases.map((p) => p.number).filter((n) => n !== 13 && n !== 14));
  });

  it('re-runs without calling the generator of any phase it had committed (Nx cached none of them)', () => {
    withOutput(rerun, () => {
      expect(rerun.ran).toHaveLength(14);
      expect(scenario.calls()).toEqual([13, 14]);
      expect(rerun.output.match(/✔ Reused the committed result/g)).toHaveLength(12);
    });
  });
});
