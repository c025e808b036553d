import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NxRun } from './utils/e2e-workspace';
import { readLimiterStates, type LimiterHolder } from './utils/limiter-state';
import { killProcessTree, runPhasesAsync, startNx } from './utils/nx-async';
import { failedTasks } from './utils/nx-output';
import { reportMeasurement } from './utils/openai-plan';
import { openaiGenerator, readRequestLog, startScenarioServer, type OpenAITestServer, type RequestLogEntry } from './utils/openai-server';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { descendantPids, isStillRunning, killAll, processEnvVar, processesIn, seeProcess, type SeenProcess } from './utils/process-tree';
import { createScenario } from './utils/scenario';
import { waitFor } from './utils/wait-for';
import { withOutput } from './utils/with-output';

/**
 * Issue 4, "A killed phase process": the first request hangs while holding the only limiter slot
 * (maxConcurrentRequests: 1) and the other phases queue behind it. SIGKILL of that phase's process
 * (the lease holder) must free the slot, so the others still finish; nothing is left running.
 */
const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

describeOnLinux('nx-phases:openai: a phase process killed while holding the rate-limit slot', () => {
  const scenario = createScenario('openai-killed-phase');
  const { workspace } = scenario;
  const appDir = 'apps/killed';
  const app = (...parts: string[]) => workspace.path(appDir, ...parts);
  const phases = ['Alpha', 'Bravo', 'Charlie', 'Delta'].map((name, i) => ({
    number: i + 1,
    name,
    features: [name],
    plannedFiles: [`src/${name.toLowerCase()}.ts`],
  }));
  const plan: PlanDocument = { name: 'killed', phases };
  const projectOf = (n: number) => phaseProjectName(plan, n);
  const tmpDir = join(scenario.state.tempRoot, 'tmp', 'openai-killed-phase');
  const env = { OPENAI_API_KEY: 'e2e-not-a-secret', TMPDIR: tmpDir };
  // Every process of the nx run seen while waiting, by pid, with its start time (pids get reused by other processes).
  const seen = new Map<number, SeenProcess>();
  const rememberProcess = (pid: number) => {
    const process = seeProcess(pid);
    if (process) seen.set(pid, process);
  };
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let run: NxRun;
  let victim: { pid: number; project: string; killedAt: number; waiting: number };

  beforeAll(async () => {
    mkdirSync(tmpDir, { recursive: true });
    ({ server, logFile } = await startScenarioServer(scenario.state, 'openai-killed-phase', {
      latencyMs: 50,
      // Whichever phase asks first never gets an answer (10 minutes), holding the only slot.
      steps: [{ kind: 'ok', latencyMs: 600_000 }],
    }));
    Object.assign(plan, {
      generator: openaiGenerator(server.url),
      rateLimit: { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 600 },
    });
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('killed plan');
    // --no-batch: the subject is one phase's own process (openai phases run in one batch worker by default).
    const nx = startNx(workspace, ['run-many', '-t', 'phase', '--outputStyle=static', '--parallel=4', '--no-batch'], { env, allowFailure: true });
    try {
      const holder = await waitFor(
        'the hanging request to hold the slot while the 3 other phases queue',
        () => {
          for (const pid of descendantPids(nx.pid)) if (!seen.has(pid)) rememberProcess(pid);
          const [state] = readLimiterStates(workspace.root);
          const lease: LimiterHolder | undefined = state?.leases[0];
          return server!.inFlight() === 1 && lease?.sentAt && state.waiters.length === 3 ? lease : undefined;
        },
        90_000,
      );
      const project = processEnvVar(holder.pid, 'NX_TASK_TARGET_PROJECT') ?? '(unknown)';
      const waiting = readLimiterStates(workspace.root)[0].waiters.length;
      process.kill(holder.pid, 'SIGKILL');
      victim = { pid: holder.pid, project, killedAt: Date.now(), waiting };
    } catch (error) {
      killProcessTree(nx.pid); // the hung request would otherwise keep nx running
      throw error;
    } finally {
      run = await nx.done;
    }
  });

  afterAll(async () => {
    killAll(processesIn(workspace.root)); // only after a failure: processes still running in this scenario's temp workspace
    await server?.close();
  });

  it('killed the lease holder: a task process of this nx run, one of the plan\'s phases', () => {
    expect(seen.has(victim.pid)).toBe(true);
    expect(phases.map((p) => projectOf(p.number))).toContain(victim.project);
  });

  it('reclaims the slot: the three other phases get their request answered and commit', () => {
    const log = readRequestLog(logFile);
    const hung = log.filter((e) => e.clientClosed);
    const answered = log.filter((e) => !e.clientClosed);
    const firstAfterKill = Math.min(...answered.map((e) => e.arrivedAt));
    reportMeasurement('killed phase', {
      waitingWhenKilled: victim.waiting,
      slotReclaimedAfterMs: firstAfterKill - victim.killedAt,
      hungRequestClosedAfterKillMs: hung[0]?.finishedAt - victim.killedAt,
      requests: log.map((e: RequestLogEntry) => ({ status: e.status, clientClosed: e.clientClosed })),
    });
    withOutput(run, () => {
      expect(hung).toHaveLength(1);
      expect(answered.map((e) => e.status)).toEqual([200, 200, 200]);
      expect(firstAfterKill).toBeGreaterThanOrEqual(victim.killedAt);
      const survivors = phases.filter((p) => projectOf(p.number) !== victim.project);
      expect(survivors.filter((p) => !existsSync(app(p.plannedFiles[0])) || !existsSync(app('.phases', String(p.number), 'manifest.json')))).toEqual([]);
      expect(run.status).not.toBe(0);
      expect(failedTasks(run.output)).toEqual([`${victim.project}:phase`]);
    });
  });

  it('the killed phase committed nothing', () => {
    const killed = phases.find((p) => projectOf(p.number) === victim.project)!;
    expect([existsSync(app(killed.plannedFiles[0])), existsSync(app('.phases', String(killed.number)))]).toEqual([false, false]);
    // SIGKILL gives the phase no chance to remove its snapshot folder; report what is left in its TMPDIR.
    reportMeasurement('left in the killed run\'s TMPDIR', readdirSync(tmpDir));
  });

  it('leaves no process behind and no lease or waiter in the limiter state', () => {
    expect([...seen.values()].filter(isStillRunning).map((process) => process.pid)).toEqual([]);
    expect(processesIn(workspace.root)).toEqual([]);
    const [state] = readLimiterStates(workspace.root);
    expect([state.leases, state.waiters]).toEqual([[], []]);
  });

  it('a re-run generates only the killed phase; the others are cache hits', async () => {
    const rerun = await runPhasesAsync(workspace, ['--parallel=4', '--no-batch'], { env });
    withOutput(rerun, () => {
      expect(rerun.ran).toEqual([victim.project]);
      expect(readRequestLog(logFile).filter((e) => !e.clientClosed)).toHaveLength(4);
    });
  });
});
