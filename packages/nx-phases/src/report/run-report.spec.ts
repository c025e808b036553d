import { PRICE_TABLE_DATE } from '../cost';
import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import type { PhaseRunRecord } from '../runtime/run-records';
import { parallelFromArgv } from './parallel-arg';
import { renderRunSummary } from './render-run-summary';
import { buildPlanRunReport, phaseRunStatus, withRunRecords, type PhaseTaskRun, type PlanRunReport } from './run-report';

const plan = testPlan([
  [1, 'Setup', []],
  [2, 'Database', [1]],
  [3, 'Auth', [1]],
  [4, 'Checkout', [2, 3]],
]);

const run = (number: number, status: PhaseTaskRun['status'], start: number, end: number): PhaseTaskRun => ({
  appRoot: 'apps/shop',
  number,
  project: `shop-${number}`,
  status,
  startTime: 1_000_000 + start,
  endTime: 1_000_000 + end,
});

const manifest = (number: number, durationMs: number, calls: number, usd?: number): PhaseManifest => ({
  plan: 'shop',
  phase: { number, name: `P${number}` },
  files: {},
  features: [],
  snapshotHash: 'x',
  generator: { use: 'nx-phases:openai', options: { apiKeyEnv: 'OPENAI_API_KEY' } },
  durationMs,
  usage: { calls, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 },
  ...(usd !== undefined ? { cost: { usd, models: ['gpt-4o'], priceTableDate: PRICE_TABLE_DATE } } : {}),
  warnings: [],
});

describe('buildPlanRunReport', () => {
  const runs = [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'cache hit', 1000, 1100), run(4, 'failed', 3000, 3500)];
  const manifests = new Map([[1, manifest(1, 990, 2, 0.01)], [2, manifest(2, 1990, 3)], [3, manifest(3, 5000, 4, 0.04)], [4, manifest(4, 7000, 9, 1)]]);
  // Built before each test, not while Jest collects: StrykerJS switches a mutant on as a test starts.
  let report: PlanRunReport;
  beforeEach(() => {
    report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3);
  });

  it('sums the money spent and saved by the cache, listing phases with calls but no known cost (never counted as 0)', () => {
    expect(report.costSpent).toEqual({ usd: 0.01, unpricedPhases: [2], unansweredPhases: [], priceTableDate: PRICE_TABLE_DATE });
    expect(report.costSavedByCache).toEqual({ usd: 0.04, unpricedPhases: [], unansweredPhases: [], priceTableDate: PRICE_TABLE_DATE });
  });

  it('says why a cost is unknown: no price, or a call that got no answer (its usage was never reported)', () => {
    const noAnswer: PhaseManifest = { ...manifest(2, 1990, 2), cost: { usd: null, models: ['gpt-4o'], priceTableDate: PRICE_TABLE_DATE, unanswered: 1 } };
    const mixed = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'ran', 1000, 1100)], new Map([[1, manifest(1, 990, 1, 0.01)], [2, noAnswer], [3, manifest(3, 90, 1)]]), 3);
    expect(mixed.costSpent).toEqual({ usd: 0.01, unpricedPhases: [3], unansweredPhases: [2], priceTableDate: PRICE_TABLE_DATE });
    expect(renderRunSummary([mixed], { html: 'r.html', json: 'r.json' })).toContain(
      `  cost this run: $0.0100 + unknown (phase 3: no price; phase 2: a call got no answer, so its usage was never reported) (prices of ${PRICE_TABLE_DATE})`,
    );
  });

  it('reports each phase with status, duration and manifest usage (none for a failed phase)', () => {
    expect(report.phases).toEqual([
      { number: 1, name: 'Setup', project: 'shop-1', level: 1, status: 'ran', durationMs: 1000, startOffsetMs: 0, generatedInMs: 990, generator: 'nx-phases:openai', usage: { calls: 2, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 }, cost: { usd: 0.01, models: ['gpt-4o'], priceTableDate: PRICE_TABLE_DATE } },
      { number: 2, name: 'Database', project: 'shop-2', level: 2, status: 'ran', durationMs: 2000, startOffsetMs: 1000, generatedInMs: 1990, generator: 'nx-phases:openai', usage: { calls: 3, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 } },
      { number: 3, name: 'Auth', project: 'shop-3', level: 2, status: 'cache hit', durationMs: 100, startOffsetMs: 1000, generatedInMs: 5000, generator: 'nx-phases:openai', usage: { calls: 4, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 }, cost: { usd: 0.04, models: ['gpt-4o'], priceTableDate: PRICE_TABLE_DATE } },
      { number: 4, name: 'Checkout', project: 'shop-4', level: 3, status: 'failed', durationMs: 500, startOffsetMs: 3000 },
    ]);
    expect(report.counts).toEqual({ ran: 2, 'cache hit': 1, failed: 1, skipped: 0 });
  });

  it('computes makespan, sum, average concurrency, critical path, lower bound and efficiency (no speed-up without a baseline)', () => {
    expect(report).toMatchObject({
      parallel: 3,
      makespanMs: 3500,
      sumOfDurationsMs: 3600,
      averageConcurrency: 1.03,
      criticalPath: { phases: [1, 2, 4], length: 3500 },
      lowerBoundMs: 3500,
      efficiency: 1,
    });
    expect(report.speedUp).toBeUndefined();
  });

  it('separates usage spent in this run from usage the cache saved', () => {
    expect(report.usageSpent).toEqual({ calls: 5, retries: 2, promptTokens: 200, completionTokens: 100, waitMs: 0 });
    expect(report.usageSavedByCache).toEqual({ calls: 4, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 });
  });

  it('never copies generator options (where API key settings live) into the report', () => {
    expect(JSON.stringify(report)).not.toContain('apiKeyEnv');
    expect(JSON.stringify(report)).not.toContain('OPENAI_API_KEY');
  });

  it('leaves phases outside the run off the critical path', () => {
    const partial = buildPlanRunReport(plan, 'x', [run(3, 'ran', 0, 400)], new Map(), 3);
    expect(partial.criticalPath).toEqual({ phases: [3], length: 400 });
    expect(partial.efficiency).toBe(1);
  });
});

describe('phaseRunStatus', () => {
  it.each([
    ['success', 'ran'],
    ['local-cache', 'cache hit'],
    ['local-cache-kept-existing', 'cache hit'],
    ['remote-cache', 'cache hit'],
    ['failure', 'failed'],
    ['skipped', 'skipped'],
    ['stopped', 'skipped'],
  ])('%s → %s', (nx, ours) => expect(phaseRunStatus(nx)).toBe(ours));
});

describe('parallelFromArgv', () => {
  it.each([
    [['run-many', '-t', 'phase', '--parallel=4'], undefined, 4],
    [['run-many', '--parallel', '5', '-t', 'phase'], undefined, 5],
    [['run-many', '--parallel'], undefined, 3],
    [['run-many', '--parallel', '--max-parallel=6'], undefined, 6],
    [['run-many', '--parallel=false'], 8, 1],
    [['run-many'], 8, 8],
    [['run-many'], undefined, 3],
  ])('%j with nx.json parallel %s → %d', (argv, fromNxJson, expected) => expect(parallelFromArgv(argv, fromNxJson)).toBe(expected));
});

describe('renderRunSummary', () => {
  it('fits a plan in a few lines: counts, timing, critical path, slowest, failures, usage', () => {
    const runs = [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'cache hit', 1000, 1100), run(4, 'failed', 3000, 3500)];
    const manifests = new Map([[1, manifest(1, 990, 2, 0.01)], [2, manifest(2, 1990, 3)], [3, manifest(3, 5000, 4, 0.04)]]);
    const summary = renderRunSummary([buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3)], { html: 'last-run.html', json: 'last-run.json' });
    expect(summary.split('\n')).toEqual([
      'nx-phases: shop: 4 phases: 2 ran, 1 cache hit, 1 failed, 0 skipped (--parallel=3)',
      '  makespan 3.5 s · Σ durations 3.6 s · average concurrency 1.03 · lower bound 3.5 s · efficiency 1.00',
      "  critical path (3.5 s, by this run's measured durations): Setup → Database → Checkout",
      '  slowest: Database 2.0 s, Setup 1.0 s',
      '  failed: Checkout (shop-4)',
      '  generator usage this run: 5 calls, 2 retries, 300 tokens; the cache saved 4 calls, 1 retry, 150 tokens',
      `  cost this run: $0.0100 + unknown (phase 2: no price); the cache saved $0.0400 (prices of ${PRICE_TABLE_DATE})`,
      '  costliest: Setup $0.0100',
      'Run report: last-run.html (Gantt chart, open it in a browser) and last-run.json',
    ]);
  });

  it('shortens a long critical path', () => {
    const chain = testPlan(Array.from({ length: 12 }, (_, i): [number, string, number[]] => [i + 1, `P${i + 1}`, i === 0 ? [] : [i]]));
    const runs = chain.phases.map((p) => ({ ...run(p.number, 'ran' as const, p.number * 10, p.number * 10 + 10), project: `c-${p.number}` }));
    const summary = renderRunSummary([buildPlanRunReport(chain, 'x', runs, new Map(), 3)], { html: 'r.html', json: 'r.json' });
    expect(summary).toContain("critical path (120 ms, by this run's measured durations): P1 → P2 → P3 → … (6 more) → P10 → P11 → P12");
  });
});

describe('a failure is reported whole (issue 16 item 5)', () => {
  // 1 fails after 7 attempts; Nx skips 2..5 and leaves them out of its task results.
  const five = testPlan([
    [1, 'Setup', []],
    [2, 'Database', [1]],
    [3, 'Auth', [1]],
    [4, 'Checkout', [2, 3]],
    [5, 'Admin', [4]],
  ]);
  const usage = { calls: 7, retries: 6, promptTokens: 0, completionTokens: 0, waitMs: 4200 };
  const records = new Map([
    [1, {
      startedAt: 1_000_000, endedAt: 1_005_000, success: false, usage,
      waits: [{ kind: 'retry' as const, fromMs: 500, toMs: 1500 }, { kind: 'retry' as const, fromMs: 4800, toMs: 9000 }],
      blocked: [2, 3, 4, 5].map((number) => ({ number, project: `shop-${number}` })),
    }],
  ]);
  // Built before each test, not while Jest collects: StrykerJS switches a mutant on as a test starts.
  let runs: PhaseTaskRun[];
  let report: PlanRunReport;
  beforeEach(() => {
    runs = withRunRecords([run(1, 'failed', 0, 5000)], records, 'apps/shop');
    report = buildPlanRunReport(five, 'apps/shop/phases.json', runs, new Map(), 3);
  });

  it('lists the phases Nx skipped, with the failed phase\'s usage and its waits cut to its task', () => {
    expect(report.counts).toEqual({ ran: 0, 'cache hit': 0, failed: 1, skipped: 4 });
    expect(report.phases.map((p) => [p.number, p.status, p.startOffsetMs, p.durationMs])).toEqual([
      [1, 'failed', 0, 5000],
      [2, 'skipped', 5000, 0],
      [3, 'skipped', 5000, 0],
      [4, 'skipped', 5000, 0],
      [5, 'skipped', 5000, 0],
    ]);
    expect(report.phases[0].usage).toEqual(usage);
    expect(report.phases[0].waits).toEqual([{ kind: 'retry', fromMs: 500, toMs: 1500 }, { kind: 'retry', fromMs: 4800, toMs: 5000 }]);
    expect(report.usageSpent).toEqual(usage);
    expect(report.criticalPath).toEqual({ phases: [1], length: 5000 });
  });

  it('says so in the summary: 5 phases, 4 skipped, 7 calls and 6 retries', () => {
    expect(renderRunSummary([report], { html: 'r.html', json: 'r.json' }).split('\n')).toEqual([
      'nx-phases: shop: 5 phases: 0 ran, 0 cache hits, 1 failed, 4 skipped (--parallel=3)',
      '  makespan 5.0 s · Σ durations 5.0 s · average concurrency 1.00 · lower bound 5.0 s · efficiency 1.00',
      "  critical path (5.0 s, by this run's measured durations): Setup",
      '  failed: Setup (shop-1)',
      '  skipped (a phase they depend on failed): Database (shop-2), Auth (shop-3), Checkout (shop-4) and 1 more',
      '  generator usage this run: 7 calls, 6 retries, 0 tokens',
      `  cost this run: unknown (phase 1: no price) (prices of ${PRICE_TABLE_DATE})`,
      'Run report: r.html (Gantt chart, open it in a browser) and r.json',
    ]);
  });

  it('keeps the status Nx reported and adds nothing for successful records', () => {
    const both = withRunRecords(
      [run(1, 'failed', 0, 5000), run(2, 'ran', 0, 10)],
      new Map<number, PhaseRunRecord>([[1, records.get(1)!], [3, { startedAt: 0, endedAt: 1, success: true, blocked: [{ number: 4, project: 'x' }] }]]),
      'apps/shop',
    );
    expect(both.map((r) => [r.number, r.status])).toEqual([[1, 'failed'], [2, 'ran'], [3, 'skipped'], [4, 'skipped'], [5, 'skipped']]);
  });
});

describe('renderRunSummary costliest phases', () => {
  it('names the phases that cost most in this run, most first, leaving out cache hits', () => {
    const runs = [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'cache hit', 1000, 1100)];
    const manifests = new Map([[1, manifest(1, 990, 2, 0.01)], [2, manifest(2, 1990, 3, 0.03)], [3, manifest(3, 5000, 4, 0.5)]]);
    const summary = renderRunSummary([buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3)], { html: 'r.html', json: 'r.json' });
    expect(summary).toContain(`  cost this run: $0.0400; the cache saved $0.5000 (prices of ${PRICE_TABLE_DATE})\n  costliest: Database $0.0300, Setup $0.0100\n`);
  });
});

describe('renderRunSummary price table dates', () => {
  it('names the table a cache hit was costed with when it is older than this run\'s', () => {
    const runs = [run(1, 'ran', 0, 1000), run(3, 'cache hit', 1000, 1100)];
    const old = manifest(3, 5000, 4, 0.5);
    const manifests = new Map([[1, manifest(1, 990, 2, 0.01)], [3, { ...old, cost: { ...old.cost!, priceTableDate: '2024-05-13' } }]]);
    const report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3);
    expect(report.costSavedByCache.priceTableDate).toBe('2024-05-13');
    expect(renderRunSummary([report], { html: 'r.html', json: 'r.json' })).toContain(
      `  cost this run: $0.0100; the cache saved $0.5000 at prices of 2024-05-13 (prices of ${PRICE_TABLE_DATE})\n`,
    );
  });
});

describe('renderRunSummary of an all-cache run', () => {
  it('says every phase was restored from cache instead of printing zero metrics', () => {
    const runs = [1, 2, 3, 4].map((n) => ({ appRoot: 'apps/shop', number: n, project: `shop-${n}`, status: 'cache hit' as const }));
    const manifests = new Map([[1, manifest(1, 990, 2)], [2, manifest(2, 1990, 1)]]);
    const summary = renderRunSummary([buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3)], { html: 'r.html', json: 'r.json' });
    expect(summary.split('\n')).toEqual([
      'nx-phases: shop: 4 phases: 0 ran, 4 cache hits, 0 failed, 0 skipped (--parallel=3)',
      '  all 4 phases restored from cache; nothing was generated',
      '  generator usage this run: none; the cache saved 3 calls, 2 retries, 300 tokens',
      `  cost this run: $0.0000; the cache saved unknown (phases 1, 2: no price) (prices of ${PRICE_TABLE_DATE})`,
      'Run report: r.html (Gantt chart, open it in a browser) and r.json',
    ]);
    expect(summary).not.toMatch(/makespan|efficiency/);
  });

  it('gets the plurals right for one phase and one call', () => {
    const one = testPlan([[1, 'Setup', []]]);
    const summary = renderRunSummary([buildPlanRunReport(one, 'x', [run(1, 'cache hit', 0, 40)], new Map([[1, manifest(1, 990, 1)]]), 3)], { html: 'r.html', json: 'r.json' });
    expect(summary.split('\n').slice(0, 3)).toEqual([
      'nx-phases: shop: 1 phase: 0 ran, 1 cache hit, 0 failed, 0 skipped (--parallel=3)',
      '  the only phase restored from cache in 40 ms; nothing was generated',
      '  generator usage this run: none; the cache saved 1 call, 1 retry, 150 tokens',
    ]);
  });
});
