import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandGate } from './utils/command-gate';
import { killProcessTree, startNx } from './utils/nx-async';
import { commandGenerator } from './utils/phase-command';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { descendantPids, isStillRunning, killSeen, seeProcess, type SeenProcess } from './utils/process-tree';
import { createScenario } from './utils/scenario';
import { waitFor } from './utils/wait-for';
import { withOutput } from './utils/with-output';

const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

/**
 * Issue 10: a batch worker must not outlive the Nx process that started it. Nx 23.3's batch worker has no
 * handling of its parent's death of its own; a worker orphaned by a SIGKILLed nx was once found spinning a CPU
 * for 30 minutes. Only nx is killed here, never the worker: the worker (and the generator it was running) must
 * go away by themselves.
 */
describeOnLinux('batch mode: the nx process that started the batch is killed', () => {
  const scenario = createScenario('batch-orphan');
  const { workspace } = scenario;
  // Phase 2 never finishes on its own: it waits at a gate the test opens only when it cleans up.
  const gate = commandGate(scenario, 'batch-orphan');
  const plan: PlanDocument = {
    name: 'borphan',
    generator: commandGenerator(scenario.command()),
    phases: [
      { number: 1, name: 'First', features: ['One'], plannedFiles: ['src/one.ts'] },
      { number: 2, name: 'Held', features: ['Two'], dependencies: [1], plannedFiles: ['src/two.ts'], generator: commandGenerator(gate.command) },
      { number: 3, name: 'After', features: ['Three'], dependencies: [2], plannedFiles: ['src/three.ts'] },
    ],
  };
  let worker: number;
  let workerTree: SeenProcess[] = []; // with start times: a pid reused by another process is never taken for it

  beforeAll(async () => {
    writePlan(workspace.root, 'apps/borphan', plan);
    workspace.commitAll('batch orphan plan');
    const nx = startNx(workspace, ['run-many', '-t', 'phase', '--outputStyle=static', '--batch', '--parallel=2'], { allowFailure: true });
    try {
      await waitFor('phase 2 waiting at its gate', () => (gate.held() ? true : undefined), 180_000);
      worker = batchWorkerOf(nx.pid);
      workerTree = [worker, ...descendantPids(worker)].map(seeProcess).filter((process) => process !== undefined);
    } catch (error) {
      killProcessTree(nx.pid);
      throw error;
    }
    process.kill(nx.pid, 'SIGKILL');
    await nx.done;
  });

  afterAll(() => {
    gate.open();
    killSeen(workerTree);
  });

  // One scenario, in order: each step needs the one before it.
  it('ends the worker and the generator it was running once its parent is gone; nothing of theirs commits, and the next run completes the plan', async () => {
    expect(workerTree.length).toBeGreaterThan(1); // the worker and the held phase's shell
    const left = await waitFor(
      'the orphaned batch worker and its generator to exit',
      () => (workerTree.some(isStillRunning) ? undefined : []),
      60_000,
    ).catch(() => workerTree.filter(isStillRunning).map((process) => process.pid));
    expect(left).toEqual([]);

    // Open the gate: a generator still waiting at it (an orphan that survived) would now run, log and commit.
    gate.open();
    expect(scenario.calls()).toEqual([1]);
    expect(existsSync(workspace.path('apps/borphan/src/two.ts'))).toBe(false);
    expect(existsSync(workspace.path('apps/borphan/.phases/2/manifest.json'))).toBe(false);
    expect(existsSync(workspace.path('apps/borphan/src/three.ts'))).toBe(false);

    // Nothing half-done blocks the next run (no stale claim, no partial commit): it generates phases 2 and 3 once.
    scenario.resetCalls();
    const next = workspace.runPhases(['--batch', '--parallel=2']);
    withOutput(next, () => {
      expect(scenario.calls()).toEqual([2, 3]);
      expect(existsSync(workspace.path('apps/borphan/src/two.ts'))).toBe(true);
      expect(existsSync(workspace.path('apps/borphan/src/three.ts'))).toBe(true);
    });
  });
});

/** The pid of nx's batch worker (Nx forks `nx/src/tasks-runner/batch/run-batch.js`). */
function batchWorkerOf(nxPid: number): number {
  const worker = descendantPids(nxPid).find((pid) => commandLineOf(pid).some((arg) => arg.endsWith(join('batch', 'run-batch.js'))));
  if (worker === undefined) throw new Error(`No batch worker (run-batch.js) among the descendants of nx (pid ${nxPid}).`);
  return worker;
}

/** A living process's arguments (Linux `/proc/<pid>/cmdline`); empty when it is gone. */
function commandLineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}
