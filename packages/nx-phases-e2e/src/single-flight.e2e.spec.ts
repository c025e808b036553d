import { readdirSync, rmSync } from 'node:fs';
import { appStateWithoutTimings } from './utils/app-state';
import { commandGate, type CommandGate } from './utils/command-gate';
import type { NxRun } from './utils/e2e-workspace';
import { fourteenPhasePlan } from './utils/fourteen-phases';
import { killProcessTree, startNx, type RunningNx } from './utils/nx-async';
import { commandGenerator } from './utils/phase-command';
import { phaseProjectName, writePlan } from './utils/plan-file';
import { descendantPids, processEnvVar } from './utils/process-tree';
import { createScenario, type Scenario } from './utils/scenario';
import { waitFor } from './utils/wait-for';
import { withOutput } from './utils/with-output';

/**
 * Issue 8 item 3, single flight: two `nx run-many -t phase` on one workspace at once pay for each phase once.
 * Phase 1's command waits for a gate file, so the test knows the first run holds phase 1 while the second
 * run's phase 1 task is started (a cache miss, since nothing is committed yet): that task must wait and then
 * reuse the first run's committed result. Ordering is controlled by the gate, never by timing.
 */
const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;
// One process per phase (--no-batch): the tests find and kill a phase's own process. Batched phases take the
// same claims (batch-mode.e2e, and the claim specs run them from one process).
const RUN_MANY = ['run-many', '-t', 'phase', '--outputStyle=static', '--parallel=3', '--no-batch'];

/** A 14-phase plan whose phase 1 waits at `gate`. */
function gatedPlan(scenario: Scenario, name: string, gate: CommandGate) {
  return fourteenPhasePlan(name, commandGenerator(scenario.command({ randomSleepMs: 300 })), { 1: commandGenerator(gate.command) });
}

/** Waits until run `nx` has a task process running `project`'s phase target, and returns its pid. */
function taskProcess(nx: RunningNx, project: string): Promise<number> {
  return waitFor(
    `a task process of ${project}`,
    () => descendantPids(nx.pid).find((pid) => processEnvVar(pid, 'NX_TASK_TARGET_PROJECT') === project),
    120_000,
  );
}

describeOnLinux('single flight: two concurrent runs on one workspace', () => {
  const scenario = createScenario('single-flight');
  const { workspace } = scenario;
  const gate = commandGate(scenario, 'single-flight');
  const plan = gatedPlan(scenario, 'twice', gate);
  const app = (...parts: string[]) => workspace.path('apps/twice', ...parts);
  let first: NxRun;
  let second: NxRun;
  let concurrentState: Record<string, string>;

  beforeAll(async () => {
    writePlan(workspace.root, 'apps/twice', plan);
    workspace.commitAll('single-flight plan');
    const a = startNx(workspace, RUN_MANY);
    let b: RunningNx | undefined;
    try {
      await waitFor('the first run to hold phase 1', () => (gate.held() ? true : undefined), 120_000);
      b = startNx(workspace, RUN_MANY);
      await taskProcess(b, phaseProjectName(plan, 1));
      gate.open();
    } catch (error) {
      killProcessTree(a.pid);
      if (b) killProcessTree(b.pid);
      throw error;
    }
    [first, second] = await Promise.all([a.done, b.done]);
    concurrentState = appStateWithoutTimings(app());
  });

  it('both runs succeed, and together they call each of the 14 generators exactly once', () => {
    withOutput(second, () => {
      expect(first.status).toBe(0);
      expect(second.status).toBe(0);
      expect(scenario.calls()).toEqual(plan.phases.map((p) => p.number));
    });
  });

  it("the second run's phase 1 reused the first run's committed result instead of generating it", () => {
    withOutput(second, () => expect(second.output).toContain('Reused the committed result'));
  });

  it('leaves the app byte-identical to a single run', () => {
    for (const name of readdirSync(app())) if (name !== 'phases.json') rmSync(app(name), { recursive: true, force: true });
    scenario.resetCalls();
    const single = workspace.runPhases(['--parallel=3', '--skip-nx-cache', '--no-batch']);
    withOutput(single, () => expect(scenario.calls()).toEqual(plan.phases.map((p) => p.number)));
    expect(appStateWithoutTimings(app())).toEqual(concurrentState);
  });
});

describeOnLinux('single flight: a holder killed with SIGKILL', () => {
  const scenario = createScenario('single-flight-killed');
  const { workspace } = scenario;
  const gate = commandGate(scenario, 'single-flight-killed');
  const plan = gatedPlan(scenario, 'orphan', gate);
  let victimPid: number;
  let survivor: NxRun;

  beforeAll(async () => {
    writePlan(workspace.root, 'apps/orphan', plan);
    workspace.commitAll('killed-holder plan');
    const a = startNx(workspace, RUN_MANY, { allowFailure: true });
    let b: RunningNx | undefined;
    try {
      await waitFor('the first run to hold phase 1', () => (gate.held() ? true : undefined), 120_000);
      victimPid = await taskProcess(a, phaseProjectName(plan, 1));
      b = startNx(workspace, RUN_MANY);
      await taskProcess(b, phaseProjectName(plan, 1));
      killProcessTree(a.pid);
      await a.done;
      gate.open();
    } catch (error) {
      killProcessTree(a.pid);
      if (b) killProcessTree(b.pid);
      throw error;
    }
    survivor = await b.done;
  });

  it('lets the waiting run take the phase over as soon as it sees the holder is gone, and finish every phase', () => {
    withOutput(survivor, () => {
      expect(survivor.status).toBe(0);
      // The claim was renewed moments before the kill and lasts a minute: only the dead-pid check frees it this way.
      expect(survivor.output).toContain(`Took over the phase from pid ${victimPid}, which no longer exists`);
      expect(scenario.calls()).toEqual(plan.phases.map((p) => p.number));
    });
  });
});
