import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import { renderRunSummary } from './render-run-summary';
import { buildPlanRunReport, type PhaseTaskRun } from './run-report';

const plan = testPlan([
  [1, 'Setup', []],
  [2, 'Database', [1]],
  [3, 'Auth', [1]],
  [4, 'Checkout', [2, 3]],
  [5, 'Admin', [1]],
]);

const run = (number: number, status: PhaseTaskRun['status']): PhaseTaskRun => ({ appRoot: 'apps/shop', number, project: `shop-${number}`, status, startTime: 1000 * number, endTime: 1000 * number + 500 });

const manifest = (number: number, attempts: number | undefined): PhaseManifest => ({
  plan: 'shop',
  phase: { number, name: `P${number}` },
  files: {},
  features: [],
  snapshotHash: 'x',
  generator: { use: 'nx-phases:openai', options: {} },
  durationMs: 400,
  usage: { calls: attempts ?? 1, retries: 0, promptTokens: 10, completionTokens: 5, waitMs: 0 },
  warnings: [],
  ...(attempts ? { checks: Array.from({ length: attempts }, (_, i) => ({ attempt: i + 1, passed: i === attempts - 1, durationMs: 100, diagnostics: i === attempts - 1 ? 0 : 2 })) } : {}),
});

describe('run report: attempts, first-pass rate and retry rate', () => {
  // 1 ran first pass, 2 ran after 1 repair, 3 ran after 2 repairs, 4 a cache hit (its repairs were in an earlier run), 5 ran without a check.
  const runs = [run(1, 'ran'), run(2, 'ran'), run(3, 'ran'), run(4, 'cache hit'), run(5, 'ran')];
  const manifests = new Map([[1, manifest(1, 1)], [2, manifest(2, 2)], [3, manifest(3, 3)], [4, manifest(4, 2)], [5, manifest(5, undefined)]]);
  const report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3);

  it('gives each checked phase its attempts and counts only phases that ran with a check', () => {
    expect(report.phases.map((phase) => phase.attempts)).toEqual([1, 2, 3, 2, undefined]);
    expect(report.checks).toEqual({ checked: 3, firstPass: 1, repaired: 2, firstPassRate: 0.33, retryRate: 0.67 });
  });

  it('prints the rates in the summary', () => {
    expect(renderRunSummary([report], { html: 'r.html', json: 'r.json' })).toContain('checks: 3 phases ran with a check: 1 passed first time (33 %), 2 repaired: retry rate 67 %');
  });

  it('has no checks section when no phase ran with a check', () => {
    const plain = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(5, 'ran')], new Map([[5, manifest(5, undefined)]]), 3);
    expect(plain.checks).toBeUndefined();
    expect(renderRunSummary([plain], { html: 'r.html', json: 'r.json' })).not.toContain('checks:');
  });
});
