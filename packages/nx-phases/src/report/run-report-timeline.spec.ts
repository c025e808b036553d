import { PRICE_TABLE_DATE } from '../cost';
import { validManifest } from '../test-utils/manifest';
import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import type { PhaseRunRecord } from '../runtime/run-records';
import { buildPlanRunReport, withRunRecords, type PhaseTaskRun } from './run-report';

// Nx hands the post-tasks hook its task results in its own order (not by phase number), with epoch-ms times.
const T0 = 1_700_000_000_000;
const run = (number: number, status: PhaseTaskRun['status'], start?: number, end?: number): PhaseTaskRun => ({
  appRoot: 'apps/shop',
  number,
  project: `shop-${number}`,
  status,
  ...(start !== undefined ? { startTime: T0 + start } : {}),
  ...(end !== undefined ? { endTime: T0 + end } : {}),
});

// Each manifest records one openai call.
const OPENAI_USAGE = { calls: 1, retries: 0, promptTokens: 10, completionTokens: 5, waitMs: 0 };
const manifest = (number: number, durationMs: number, extra: Partial<PhaseManifest> = {}): PhaseManifest =>
  validManifest({ phase: { number, name: `P${number}` }, generator: { use: 'nx-phases:openai', options: {} }, durationMs, usage: OPENAI_USAGE, ...extra });

describe('run report timeline: order, offsets and skipped phases', () => {
  const plan = testPlan([
    [1, 'Setup', []],
    [2, 'Admin', [5]],
    [3, 'Auth', [1]],
    [4, 'Catalog', [1]],
    [5, 'Checkout', [1, 3]],
  ]);

  it('lists the phases by number whatever order Nx reported them in, and leaves out tasks of phases no longer in the plan', () => {
    const runs = [run(4, 'ran', 1000, 1800), run(9, 'ran', 0, 200), run(3, 'ran', 1000, 2500), run(1, 'ran', 0, 1000)];
    const report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, new Map(), 3);
    expect(report.phases.map((p) => [p.number, p.name, p.startOffsetMs, p.durationMs])).toEqual([
      [1, 'Setup', 0, 1000],
      [3, 'Auth', 1000, 1500],
      [4, 'Catalog', 1000, 800],
    ]);
    expect(report.sumOfDurationsMs).toBe(3300);
    expect(report.criticalPath).toEqual({ phases: [1, 3], length: 2500 });
  });

  /** Both runs below: 1 and 4 ran, 3 failed at 4000 ms, and 5 and 2 (after it) were skipped there, taking no time. */
  const SKIPPED_AFTER_THE_FAILURE = [
    [1, 'ran', 0, 1000],
    [2, 'skipped', 4000, 0],
    [3, 'failed', 1000, 3000],
    [4, 'ran', 1000, 500],
    [5, 'skipped', 4000, 0],
  ];

  it('starts a skipped phase where the last of its dependencies ended, also after a higher-numbered skipped phase, with no duration', () => {
    // 3 fails at 4000 ms; 5 (level 3) is skipped, and 2 (level 4, a lower number) after it. Nx gave the stopped
    // task 5 times of its own: the report ignores them (it never ran).
    const runs = [run(2, 'skipped'), run(5, 'skipped', 4100, 4300), run(3, 'failed', 1000, 4000), run(1, 'ran', 0, 1000), run(4, 'ran', 1000, 1500)];
    const report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, new Map(), 3);
    expect(report.phases.map((p) => [p.number, p.status, p.startOffsetMs, p.durationMs])).toEqual(SKIPPED_AFTER_THE_FAILURE);
    expect(report.sumOfDurationsMs).toBe(4500);
    // Skipped phases took no time in this run: the chain ends at the failed phase.
    expect(report.criticalPath).toEqual({ phases: [1, 3], length: 4000 });
  });

  it('leaves a phase skipped inside a batch out of the run\'s span: Nx gives it an end time but no start time', () => {
    // In batch mode Nx copies the batch's times onto each task (none for a phase skipped there), then stamps an end
    // time on every task without one when the batch ends: 5 and 2 arrive with an end at 9000 ms and no start.
    const runs = [run(1, 'ran', 0, 1000), run(3, 'failed', 1000, 4000), run(4, 'ran', 1000, 1500), run(5, 'skipped', undefined, 9000), run(2, 'skipped', undefined, 9000)];
    const report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, new Map(), 3);
    expect(report.makespanMs).toBe(4000);
    expect(report.phases.map((p) => [p.number, p.status, p.startOffsetMs, p.durationMs])).toEqual(SKIPPED_AFTER_THE_FAILURE);
    expect([report.averageConcurrency, report.efficiency]).toEqual([1.13, 1]);
  });

  it('starts a skipped phase whose dependencies were not part of the run at 0, and reports a run without task times as 0, not NaN', () => {
    const report = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(5, 'skipped'), run(3, 'cache hit')], new Map(), 3);
    expect(report.phases.map((p) => [p.number, p.startOffsetMs, p.durationMs])).toEqual([[3, 0, 0], [5, 0, 0]]);
    expect(report).toMatchObject({ makespanMs: 0, sumOfDurationsMs: 0, averageConcurrency: 0, lowerBoundMs: 0, efficiency: 0 });
    expect(JSON.stringify(report)).not.toContain('null');
  });

  it('counts one worker for a plan with "parallel": false, whatever --parallel says: the lower bound is then the sum', () => {
    const sequential = testPlan([[1, 'Setup', []], [2, 'Database', [1]], [3, 'Auth', [1]]], { parallel: false });
    const runs = [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'ran', 3000, 3600)];
    const report = buildPlanRunReport(sequential, 'x', runs, new Map(), 3);
    expect(report).toMatchObject({ parallel: 1, makespanMs: 3600, sumOfDurationsMs: 3600, lowerBoundMs: 3600, efficiency: 1, averageConcurrency: 1 });
    const parallel = buildPlanRunReport(testPlan([[1, 'Setup', []], [2, 'Database', [1]], [3, 'Auth', [1]]]), 'x', runs, new Map(), 3);
    expect(parallel).toMatchObject({ parallel: 3, lowerBoundMs: 3000, efficiency: 0.83 });
  });
});

describe('run report: waits and segments on the task clock', () => {
  const plan = testPlan([[1, 'Setup', []], [2, 'Database', [1]]]);

  it('never moves waits earlier when the manifest run lasted longer than the task (clocks differ), and drops what falls after the task', () => {
    const waits: PhaseManifest['waits'] = [{ kind: 'rate-limit', fromMs: 100, toMs: 300 }, { kind: 'retry', fromMs: 600, toMs: 900 }];
    const report = buildPlanRunReport(plan, 'x', [run(1, 'ran', 0, 500)], new Map([[1, manifest(1, 800, { waits })]]), 3);
    expect(report.phases[0].waits).toEqual([{ kind: 'rate-limit', fromMs: 100, toMs: 300 }]);
  });

  it('gives a cache hit its attempts, but no checks or segments (they ran in an earlier run), and a checked phase without segments none', () => {
    const checks = [{ attempt: 1, passed: false, durationMs: 100, diagnostics: 2 }, { attempt: 2, passed: true, durationMs: 100, diagnostics: 0 }];
    const segments = [{ kind: 'generate' as const, attempt: 1, fromMs: 0, toMs: 100 }];
    const report = buildPlanRunReport(plan, 'x', [run(1, 'cache hit', 0, 50), run(2, 'ran', 50, 1050)], new Map([[1, manifest(1, 900, { checks, segments })], [2, manifest(2, 900, { checks })]]), 3);
    expect(report.phases).toEqual([
      { number: 1, name: 'Setup', project: 'shop-1', level: 1, status: 'cache hit', durationMs: 50, startOffsetMs: 0, generatedInMs: 900, generator: 'nx-phases:openai', usage: OPENAI_USAGE, attempts: 2 },
      { number: 2, name: 'Database', project: 'shop-2', level: 2, status: 'ran', durationMs: 1000, startOffsetMs: 50, generatedInMs: 900, generator: 'nx-phases:openai', usage: OPENAI_USAGE, attempts: 2, checks },
    ]);
  });
});

describe('run report: what the run records add to a failure', () => {
  const plan = testPlan([[1, 'Setup', []], [2, 'Database', [1]], [3, 'Auth', [1]], [4, 'Checkout', [2, 3]]]);
  const usage = { calls: 3, retries: 1, promptTokens: 300, completionTokens: 100, waitMs: 0 };
  const cost = { usd: 0.25, models: ['gpt-4o'], priceTableDate: PRICE_TABLE_DATE };
  const checks = [{ attempt: 1, passed: false, durationMs: 100, diagnostics: 1 }, { attempt: 2, passed: false, durationMs: 100, diagnostics: 1 }];
  const segments = [{ kind: 'generate' as const, attempt: 1, fromMs: 0, toMs: 400 }, { kind: 'check' as const, attempt: 1, fromMs: 400, toMs: 600 }];

  it("counts a failed phase's calls and cost as spent, with its attempts and segments (no diagnostics recorded: none listed)", () => {
    const records = new Map<number, PhaseRunRecord>([[2, { startedAt: T0, endedAt: T0 + 1000, success: false, usage, cost, checks, segments }]]);
    const runs = withRunRecords([run(1, 'ran', 0, 1000), run(2, 'failed', 1000, 2000)], records, 'apps/shop');
    const report = buildPlanRunReport(plan, 'x', runs, new Map([[1, manifest(1, 900)]]), 3);
    const failed = report.phases.find((p) => p.number === 2)!;
    expect(failed).toEqual({
      number: 2, name: 'Database', project: 'shop-2', level: 2, status: 'failed', durationMs: 1000, startOffsetMs: 1000,
      usage, cost, attempts: 2, checks, segments, lastDiagnostics: [],
    });
    expect(report.costSpent).toEqual({ usd: 0.25, unpricedPhases: [1], unansweredPhases: [], priceTableDate: PRICE_TABLE_DATE });
    expect(report.usageSpent.calls).toBe(4);
    expect(report.checks).toEqual({ checked: 1, firstPass: 0, repaired: 0, failed: 1, attempts: 2, firstPassRate: 0, retryRate: 1 });
  });

  it('lists no segments for a failed phase without task times (none fall inside its task), and no blocked phases of a success', () => {
    const records = new Map<number, PhaseRunRecord>([
      [2, { startedAt: T0, endedAt: T0 + 1000, success: false, usage, checks, segments }],
      [1, { startedAt: T0, endedAt: T0 + 1, success: true, blocked: [{ number: 3, project: 'shop-3' }] }],
    ]);
    const runs = withRunRecords([run(1, 'ran', 0, 10), run(2, 'failed')], records, 'apps/shop');
    expect(runs.map((r) => r.number)).toEqual([1, 2]);
    const failed = buildPlanRunReport(plan, 'x', runs, new Map(), 3).phases.find((p) => p.number === 2)!;
    expect(failed).toEqual({ number: 2, name: 'Database', project: 'shop-2', level: 2, status: 'failed', durationMs: 0, startOffsetMs: 0, usage, attempts: 2, checks, lastDiagnostics: [] });
  });

  it('lists a phase blocked by two failed phases once, and takes nothing from a record of a success', () => {
    const records = new Map<number, PhaseRunRecord>([
      [2, { startedAt: T0, endedAt: T0 + 1, success: false, blocked: [{ number: 4, project: 'shop-4' }] }],
      [3, { startedAt: T0, endedAt: T0 + 1, success: false, blocked: [{ number: 4, project: 'shop-4' }] }],
      [1, { startedAt: T0, endedAt: T0 + 1, success: true, usage, cost }],
    ]);
    const runs = withRunRecords([run(1, 'failed', 0, 10), run(2, 'failed', 10, 20), run(3, 'failed', 10, 30)], records, 'apps/shop');
    expect(runs).toEqual([run(1, 'failed', 0, 10), run(2, 'failed', 10, 20), run(3, 'failed', 10, 30), { appRoot: 'apps/shop', number: 4, project: 'shop-4', status: 'skipped' }]);
  });
});
