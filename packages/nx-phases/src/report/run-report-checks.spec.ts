import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import { renderRunSummary } from './render-run-summary';
import { buildPlanRunReport, type PhaseTaskRun, type PlanRunReport } from './run-report';

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
  // Built before each test, not while Jest collects: StrykerJS switches a mutant on as a test starts.
  let report: PlanRunReport;
  beforeEach(() => {
    report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3);
  });

  it('gives each checked phase its attempts and counts only phases that ran with a check', () => {
    expect(report.phases.map((phase) => phase.attempts)).toEqual([1, 2, 3, 2, undefined]);
    expect(report.checks).toEqual({ checked: 3, firstPass: 1, repaired: 2, failed: 0, attempts: 6, firstPassRate: 0.33, retryRate: 0.67 });
  });

  it('prints the rates in the summary, then the phases of this run that needed a repair with their attempts', () => {
    const lines = renderRunSummary([report], { html: 'r.html', json: 'r.json' }).split('\n');
    const at = lines.indexOf('  checks: 3 phases ran with a check: 1 passed first time (33 %), 2 repaired, 6 attempts: retry rate 67 %');
    expect(at).toBeGreaterThan(0);
    // Phase 4's two attempts were in an earlier run (a cache hit now): not listed, like the rates.
    expect(lines[at + 1]).toBe('  needed a repair: Database (2 attempts), Auth (3 attempts)');
  });

  it('counts a phase that failed its check (from its run record) as needing a repair, with its attempts and last diagnostics', () => {
    const failedRun: PhaseTaskRun = {
      ...run(2, 'failed'),
      checks: [
        { attempt: 1, passed: false, durationMs: 100, diagnostics: 1 },
        { attempt: 2, passed: false, durationMs: 100, diagnostics: 1 },
      ],
      segments: [
        { kind: 'generate', attempt: 1, fromMs: 0, toMs: 100 },
        { kind: 'check', attempt: 1, fromMs: 100, toMs: 200 },
        { kind: 'repair', attempt: 2, fromMs: 200, toMs: 300 },
        { kind: 'check', attempt: 2, fromMs: 300, toMs: 900 },
      ],
      diagnostics: ['src/a.ts:1:1 error TS2322: broken'],
    };
    const withFailure = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(1, 'ran'), failedRun], new Map([[1, manifest(1, 1)]]), 3);
    const failed = withFailure.phases.find((phase) => phase.number === 2)!;
    expect(failed.attempts).toBe(2);
    expect(failed.lastDiagnostics).toEqual(['src/a.ts:1:1 error TS2322: broken']);
    // The task lasted 500 ms: the last check is cut at its end.
    expect(failed.segments!.map((s) => [s.kind, s.fromMs, s.toMs])).toEqual([['generate', 0, 100], ['check', 100, 200], ['repair', 200, 300], ['check', 300, 500]]);
    expect(withFailure.checks).toEqual({ checked: 2, firstPass: 1, repaired: 0, failed: 1, attempts: 3, firstPassRate: 0.5, retryRate: 0.5 });
    expect(renderRunSummary([withFailure], { html: 'r.html', json: 'r.json' })).toContain(
      'checks: 2 phases ran with a check: 1 passed first time (50 %), 0 repaired, 1 failed its check, 3 attempts: retry rate 50 %\n  needed a repair: Database (2 attempts, still failing)',
    );
  });

  it('moves a committed phase\'s segments onto its task clock (start-up first)', () => {
    const withSegments = { ...manifest(2, 2), segments: [{ kind: 'generate' as const, attempt: 1, fromMs: 0, toMs: 100 }, { kind: 'check' as const, attempt: 1, fromMs: 100, toMs: 150 }] };
    const built = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(2, 'ran')], new Map([[2, withSegments]]), 3);
    // The manifest's run lasted 400 ms of the task's 500 ms: its segments start 100 ms into the task.
    expect(built.phases[0].segments).toEqual([{ kind: 'generate', attempt: 1, fromMs: 100, toMs: 200 }, { kind: 'check', attempt: 1, fromMs: 200, toMs: 250 }]);
  });

  it('has no checks section when no phase ran with a check', () => {
    const plain = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(5, 'ran')], new Map([[5, manifest(5, undefined)]]), 3);
    expect(plain.checks).toBeUndefined();
    expect(renderRunSummary([plain], { html: 'r.html', json: 'r.json' })).not.toContain('checks:');
    expect(renderRunSummary([plain], { html: 'r.html', json: 'r.json' })).not.toContain('needed a repair');
  });
});
