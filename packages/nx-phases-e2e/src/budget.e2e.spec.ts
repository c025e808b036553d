import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { costOfUsage, priceFor, type ModelPrice } from '../../nx-phases/src/cost';
import type { NxRun } from './utils/e2e-workspace';
import { killProcessTree, runPhasesAsync, startNx } from './utils/nx-async';
import { failedTasks, stackTraceLines, taskOutputBlocks } from './utils/nx-output';
import { reportMeasurement } from './utils/openai-plan';
import { openaiGenerator, readRequestLog, requestsOfPhase, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { fourteenPhasePlan } from './utils/fourteen-phases';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { killAll, processesIn } from './utils/process-tree';
import { createScenario } from './utils/scenario';
import { waitFor } from './utils/wait-for';
import { withOutput } from './utils/with-output';

/**
 * Issue 20, "a budget that holds" and "provider feedback", under real Nx with the packed plugin and the loopback
 * OpenAI server (which reports usage, sends rate-limit headers and counts requests). Prices are gpt-4.1-mini's from
 * the pinned table; every reply reports 100 prompt + 1000 completion tokens, so each answered call costs $0.00164 (A),
 * while a call's worst case (a few hundred prompt tokens + maxOutputTokens 2000) is about $0.0035 (W).
 */
const MODEL = 'gpt-4.1-mini';
const USAGE = { prompt_tokens: 100, completion_tokens: 1000 };
const PRICE = priceFor(MODEL) as ModelPrice;
const CALL_COST = costOfUsage({ promptTokens: USAGE.prompt_tokens, completionTokens: USAGE.completion_tokens }, PRICE);
const KEY_ENV = { OPENAI_API_KEY: 'e2e-not-a-secret' };
const generator = (url: string) => openaiGenerator(url, { model: MODEL, maxOutputTokens: 2_000 });
const BUDGET_MESSAGE = /Budget exceeded: phase \d+ "[^"]+" needs up to \$\d+\.\d{4} for its next call, but the budget is \$\d+\.\d{4}(?: \([^)]+\))? with \$\d+\.\d{4} spent and \$\d+\.\d{4} reserved by calls in progress\. Nothing was sent/;

interface LedgerFile {
  spentUsd: number;
  reservations: Array<{ id: string; phase: string; pid: number }>;
}

function readLedger(workspaceRoot: string): LedgerFile | undefined {
  const file = join(workspaceRoot, '.nx', 'workspace-data', 'nx-phases', 'budget', 'ledger.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LedgerFile) : undefined;
}

/** Phases of `plan` whose task output carries the budget refusal. */
function refusedPhases(run: NxRun, plan: PlanDocument): number[] {
  const blocks = taskOutputBlocks(run.output);
  return plan.phases.filter((p) => BUDGET_MESSAGE.test(blocks.get(phaseProjectName(plan, p.number)) ?? '')).map((p) => p.number);
}

function committed(workspaceRoot: string, appDir: string, plan: PlanDocument): number[] {
  return plan.phases.filter((p) => existsSync(join(workspaceRoot, appDir, '.phases', String(p.number), 'manifest.json'))).map((p) => p.number);
}

describe('budget: maxCostUsd covering only some of 14 phases', () => {
  const scenario = createScenario('budget-fourteen');
  const { workspace } = scenario;
  const appDir = 'apps/budgeted';
  // A call fits while spent <= budget - W, about $0.006: three answered calls (3A = $0.0049) fit, a fourth (4A) cannot.
  const budgetUsd = 0.0095;
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let plan: PlanDocument;
  let run: NxRun;
  let report: { plans: Array<{ phases: Array<{ number: number; status: string }> }> };

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'budget-fourteen', { fallback: { kind: 'ok', files: 'planned', usage: USAGE } }));
    plan = { ...fourteenPhasePlan('budgeted', generator(server.url)), maxCostUsd: budgetUsd };
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('budgeted plan');
    // One process per phase (openai phases are batched by default): the budget must hold across them.
    run = await runPhasesAsync(workspace, ['--parallel=3', '--no-batch'], { env: KEY_ENV, allowFailure: true });
    report = JSON.parse(readFileSync(workspace.path('.nx', 'nx-phases', 'last-run.json'), 'utf8'));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('runs the phases that fit, refuses the others before any request, and spends no more than the budget at the server', () => {
    const log = readRequestLog(logFile);
    const done = committed(workspace.root, appDir, plan);
    const refused = refusedPhases(run, plan);
    const spentAtServer = log.filter((e) => e.status === 200).length * CALL_COST;
    reportMeasurement('budget of 14 phases', { budgetUsd, committed: done, refused, requests: log.length, spentAtServer, ledger: readLedger(workspace.root) });
    withOutput(run, () => {
      expect(done.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      expect(log.map((e) => e.status)).toEqual(done.map(() => 200));
      for (const number of refused) expect(requestsOfPhase(log, number, `Part ${number}`)).toEqual([]);
      expect(failedTasks(run.output)).toEqual(refused.map((n) => `${phaseProjectName(plan, n)}:phase`).sort());
      expect(spentAtServer).toBeLessThanOrEqual(budgetUsd);
      expect(readLedger(workspace.root)).toMatchObject({ reservations: [], spentUsd: Number(spentAtServer.toFixed(6)) });
    });
  });

  it('a refused phase committed nothing and its dependents were skipped', () => {
    const refused = refusedPhases(run, plan);
    for (const number of refused) expect(existsSync(workspace.path(appDir, `src/p${number}.ts`))).toBe(false);
    // Phase 14 depends on most of the plan; with phases refused it never runs.
    expect(committed(workspace.root, appDir, plan)).not.toContain(14);
    // Every phase downstream of a refused one was skipped (the run report's status), none ran or failed.
    const downstream = new Set<number>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of plan.phases) {
        if (downstream.has(p.number) || refused.includes(p.number)) continue;
        if ((p.dependencies ?? []).some((d) => refused.includes(d) || downstream.has(d))) grew = downstream.add(p.number).size > 0;
      }
    }
    const skipped = report.plans[0].phases.filter((p) => p.status === 'skipped').map((p) => p.number);
    expect(downstream.size).toBeGreaterThan(0);
    expect(skipped).toEqual([...downstream].sort((a, b) => a - b));
  });

  it('a budget variable that is not a number of dollars fails the phase with the fix, no stack trace, nothing written', async () => {
    const refused = refusedPhases(run, plan)[0];
    const args = ['run', `${phaseProjectName(plan, refused)}:phase`, '--excludeTaskDependencies', '--outputStyle=static'];
    const rerun = await startNx(workspace, args, { env: { ...KEY_ENV, NX_PHASES_MAX_COST_USD: 'five' }, allowFailure: true }).done;
    withOutput(rerun, () => {
      expect(rerun.status).not.toBe(0);
      expect(rerun.output).toContain('NX_PHASES_MAX_COST_USD="five" is not a budget. Give a number of US dollars, 0 or more');
      expect(stackTraceLines(rerun.output)).toEqual([]);
      expect(existsSync(workspace.path(appDir, `src/p${refused}.ts`))).toBe(false);
      expect(readRequestLog(logFile).filter((e) => requestsOfPhase([e], refused, `Part ${refused}`).length)).toEqual([]);
    });
  });

  it('the nx.json plugin option reaches every phase process: the lower of it and the plan applies, named in the refusal', async () => {
    const refused = refusedPhases(run, plan)[0];
    const nxJsonPath = workspace.path('nx.json');
    const original = readFileSync(nxJsonPath, 'utf8');
    const nxJson = JSON.parse(original) as { plugins: unknown[] };
    nxJson.plugins = nxJson.plugins.map((entry) => (entry === 'nx-phases' ? { plugin: 'nx-phases', options: { maxCostUsd: 0.001 } } : entry));
    writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2));
    try {
      const args = ['run', `${phaseProjectName(plan, refused)}:phase`, '--excludeTaskDependencies', '--outputStyle=static'];
      const rerun = await startNx(workspace, args, { env: KEY_ENV, allowFailure: true }).done;
      withOutput(rerun, () => {
        expect(rerun.status).not.toBe(0);
        expect(rerun.output).toMatch(/but the budget is \$0\.0010 \(maxCostUsd in nx\.json\) with \$0\.0000 spent/);
        expect(requestsOfPhase(readRequestLog(logFile), refused, `Part ${refused}`)).toEqual([]);
      });
    } finally {
      writeFileSync(nxJsonPath, original);
    }
  });
});

describe('budget: two concurrent runs share one budget', () => {
  const scenario = createScenario('budget-concurrent');
  const { workspace } = scenario;
  // Alone, a run's 6 phases fit (5A + W = $0.0117); together the 12 cannot (11A + W = $0.0215); two worst cases
  // fit at once (2W = $0.007), so each run's first call can be in flight at the gate.
  const budgetUsd = 0.0145;
  const planOf = (name: string, url: string): PlanDocument => ({
    name,
    generator: generator(url),
    phases: Array.from({ length: 6 }, (_, i) => ({ number: i + 1, name: `${name} part ${i + 1}`, plannedFiles: [`src/p${i + 1}.ts`] })),
  });
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let plans: PlanDocument[];
  let runs: NxRun[];

  beforeAll(async () => {
    // The gate: no reply until a request of each run has arrived, so the two runs are provably running together.
    ({ server, logFile } = await startScenarioServer(scenario.state, 'budget-concurrent', {
      fallback: { kind: 'ok', files: 'planned', usage: USAGE },
      holdUntilSeen: ['left part', 'right part'],
    }));
    plans = [planOf('left', server.url), planOf('right', server.url)];
    for (const plan of plans) writePlan(workspace.root, `apps/${plan.name}`, plan);
    workspace.commitAll('two plans');
    const env = { ...KEY_ENV, NX_PHASES_MAX_COST_USD: String(budgetUsd), NX_DAEMON: 'false' };
    // The default mode: each run's openai phases in one batch worker, so the two runs are two processes.
    runs = await Promise.all(
      plans.map((plan) => runPhasesAsync(workspace, [`--projects=${plan.name}-*`, '--parallel=2'], { env, allowFailure: true })),
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  it('spends no more than the one budget in total at the server, refusing phases of the two runs together', () => {
    const log = readRequestLog(logFile);
    const answered = log.filter((e) => e.status === 200).length;
    const refused = plans.flatMap((plan, i) => refusedPhases(runs[i], plan).map((n) => `${plan.name}#${n}`));
    const done = plans.flatMap((plan) => committed(workspace.root, `apps/${plan.name}`, plan).map((n) => `${plan.name}#${n}`));
    reportMeasurement('two concurrent runs, one budget', { budgetUsd, answered, spentAtServer: answered * CALL_COST, done, refused });
    expect(answered * CALL_COST).toBeLessThanOrEqual(budgetUsd);
    expect(refused.length).toBeGreaterThan(0);
    expect(answered).toBe(done.length);
    expect(answered + refused.length).toBe(12);
  });
});

describe('budget: a SIGKILLed holder', () => {
  const scenario = createScenario('budget-killed');
  const { workspace } = scenario;
  const appDir = 'apps/killed-budget';
  // One call's worst case fits, two do not (W < $0.005 < 2W): the other phase can reserve only once the holder's
  // reservation is released, and its run (this nx) stays alive, so no new budget period frees it.
  const budgetUsd = 0.005;
  const plan: PlanDocument = {
    name: 'killed-budget',
    maxCostUsd: budgetUsd,
    phases: [
      { number: 1, name: 'Alpha', plannedFiles: ['src/alpha.ts'] },
      { number: 2, name: 'Bravo', plannedFiles: ['src/bravo.ts'] },
    ],
  };
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let run: NxRun;
  let victim: { pid: number; phase: number; reserved: number };

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'budget-killed', {
      // Whichever phase asks first never gets an answer (10 minutes), holding the only reservation that fits.
      steps: [{ kind: 'ok', latencyMs: 600_000 }],
      fallback: { kind: 'ok', files: 'planned', usage: USAGE },
    }));
    plan.generator = generator(server.url);
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('killed budget plan');
    // One process per phase, so killing the holder's process leaves the other phase running.
    const args = ['run-many', '-t', 'phase', '--outputStyle=static', '--parallel=2', '--no-batch'];
    const nx = startNx(workspace, args, { env: KEY_ENV, allowFailure: true, killAfterMs: 120_000 });
    try {
      victim = await waitFor(
        'a request in flight while its phase holds the one reservation that fits',
        () => {
          const reservations = readLedger(workspace.root)?.reservations ?? [];
          if (reservations.length !== 1 || server!.inFlight() !== 1) return undefined;
          return { pid: reservations[0].pid, phase: Number(reservations[0].phase.split(' ')[0]), reserved: reservations.length };
        },
        90_000,
      );
      process.kill(victim.pid, 'SIGKILL');
    } catch (error) {
      killProcessTree(nx.pid);
      throw error;
    } finally {
      run = await nx.done;
    }
  });

  afterAll(async () => {
    killAll(processesIn(workspace.root));
    await server?.close();
  });

  it("releases the dead holder's reservation: the other phase reserves, runs and commits; nothing stays reserved", () => {
    const log = readRequestLog(logFile);
    const other = victim.phase === 1 ? 2 : 1;
    reportMeasurement('killed holder', { victim, requests: log.map((e) => ({ status: e.status, clientClosed: e.clientClosed })), ledger: readLedger(workspace.root) });
    withOutput(run, () => {
      expect(failedTasks(run.output)).toEqual([`${phaseProjectName(plan, victim.phase)}:phase`]);
      expect(committed(workspace.root, appDir, plan)).toEqual([other]);
      expect(log.filter((e) => !e.clientClosed).map((e) => e.status)).toEqual([200]);
      expect(readLedger(workspace.root)).toMatchObject({ reservations: [], spentUsd: Number(CALL_COST.toFixed(6)) });
    });
  });
});

describe('provider feedback: x-ratelimit-remaining-requests 0 with reset 2s', () => {
  const scenario = createScenario('provider-headers');
  const { workspace } = scenario;
  const appDir = 'apps/headers';
  const plan: PlanDocument = {
    name: 'headers',
    // The plan's own limits would allow all four at once: only the headers keep them apart.
    rateLimit: { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 600 },
    phases: Array.from({ length: 4 }, (_, i) => ({ number: i + 1, name: `Part ${i + 1}`, plannedFiles: [`src/p${i + 1}.ts`] })),
  };
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let run: NxRun;

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'provider-headers', { requestLimit: { limit: 1, resetMs: 2_000 } }));
    plan.generator = openaiGenerator(server.url);
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('headers plan');
    // One process per phase: the feedback must cross processes through the shared limiter state.
    run = await runPhasesAsync(workspace, ['--parallel=4', '--no-batch'], { env: KEY_ENV });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('sends nothing for 2 s after each reply, from every phase process, and never gets a 429', () => {
    expect(run.output).not.toContain('nx-phases:phase-io'); // not batched: four processes
    const log = readRequestLog(logFile).sort((a, b) => a.arrivedAt - b.arrivedAt);
    const gaps = log.slice(1).map((e, i) => e.arrivedAt - log[i].arrivedAt);
    reportMeasurement('provider headers', { statuses: log.map((e) => e.status), gapsMs: gaps });
    withOutput(run, () => {
      expect(log.map((e) => e.status)).toEqual([200, 200, 200, 200]);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(2_000);
    });
  });
});
