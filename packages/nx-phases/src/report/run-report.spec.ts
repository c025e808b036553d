import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import { parallelFromArgv } from './parallel-arg';
import { renderRunSummary } from './render-run-summary';
import { buildPlanRunReport, phaseRunStatus, type PhaseTaskRun } from './run-report';

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

const manifest = (number: number, durationMs: number, calls: number): PhaseManifest => ({
  plan: 'shop',
  phase: { number, name: `P${number}` },
  files: {},
  features: [],
  snapshotHash: 'x',
  generator: { use: 'nx-phases:openai', options: { apiKeyEnv: 'OPENAI_API_KEY' } },
  durationMs,
  usage: { calls, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 },
  warnings: [],
});

describe('buildPlanRunReport', () => {
  const runs = [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'cache hit', 1000, 1100), run(4, 'failed', 3000, 3500)];
  const manifests = new Map([[1, manifest(1, 990, 2)], [2, manifest(2, 1990, 3)], [3, manifest(3, 5000, 4)], [4, manifest(4, 7000, 9)]]);
  const report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3);

  it('reports each phase with status, duration and manifest usage (none for a failed phase)', () => {
    expect(report.phases).toEqual([
      { number: 1, name: 'Setup', project: 'shop-1', level: 1, status: 'ran', durationMs: 1000, startOffsetMs: 0, generatedInMs: 990, generator: 'nx-phases:openai', usage: { calls: 2, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 } },
      { number: 2, name: 'Database', project: 'shop-2', level: 2, status: 'ran', durationMs: 2000, startOffsetMs: 1000, generatedInMs: 1990, generator: 'nx-phases:openai', usage: { calls: 3, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 } },
      { number: 3, name: 'Auth', project: 'shop-3', level: 2, status: 'cache hit', durationMs: 100, startOffsetMs: 1000, generatedInMs: 5000, generator: 'nx-phases:openai', usage: { calls: 4, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 0 } },
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
    const manifests = new Map([[1, manifest(1, 990, 2)], [2, manifest(2, 1990, 3)], [3, manifest(3, 5000, 4)]]);
    const summary = renderRunSummary([buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3)], { html: 'last-run.html', json: 'last-run.json' });
    expect(summary.split('\n')).toEqual([
      'nx-phases: shop: 4 phases: 2 ran, 1 cache hit, 1 failed, 0 skipped (--parallel=3)',
      '  makespan 3.5 s · Σ durations 3.6 s · average concurrency 1.03 · lower bound 3.5 s · efficiency 1.00',
      '  critical path (3.5 s): Setup → Database → Checkout',
      '  slowest: Database 2.0 s, Setup 1.0 s',
      '  failed: Checkout (shop-4)',
      '  generator usage this run: 5 calls, 2 retries, 300 tokens; the cache saved 4 calls, 1 retry, 150 tokens',
      'Run report: last-run.html (Gantt chart, open it in a browser) and last-run.json',
    ]);
  });

  it('shortens a long critical path', () => {
    const chain = testPlan(Array.from({ length: 12 }, (_, i): [number, string, number[]] => [i + 1, `P${i + 1}`, i === 0 ? [] : [i]]));
    const runs = chain.phases.map((p) => ({ ...run(p.number, 'ran' as const, p.number * 10, p.number * 10 + 10), project: `c-${p.number}` }));
    const summary = renderRunSummary([buildPlanRunReport(chain, 'x', runs, new Map(), 3)], { html: 'r.html', json: 'r.json' });
    expect(summary).toContain('critical path (120 ms): P1 → P2 → P3 → … (6 more) → P10 → P11 → P12');
  });
});
