import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import { renderRunHtml, STATUS_COLOURS } from './render-run-html';
import { buildPlanRunReport, type PhaseTaskRun } from './run-report';

const plan = testPlan([
  [1, 'Setup', []],
  [2, 'Database', [1]],
  [3, 'Auth <b>', [1]],
  [4, 'Checkout', [2, 3]],
  [5, 'Extra', [1]],
]);
const run = (number: number, status: PhaseTaskRun['status'], start?: number, end?: number): PhaseTaskRun => ({
  appRoot: 'apps/shop', number, project: `shop-${number}`, status, startTime: start, endTime: end,
});
const manifest = (number: number, durationMs: number, waits?: PhaseManifest['waits']): PhaseManifest => ({
  plan: 'shop', phase: { number, name: `P${number}` }, files: {}, features: [], snapshotHash: 'x'.repeat(64),
  generator: { use: 'nx-phases:openai', options: {} }, durationMs,
  usage: { calls: 2, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 700 }, warnings: [], ...(waits ? { waits } : {}),
});
const runs = [run(1, 'ran', 1000, 2000), run(2, 'ran', 2000, 4000), run(3, 'cache hit', 2000, 2050), run(4, 'failed', 4000, 4500), run(5, 'skipped')];
const manifests = new Map([
  [1, manifest(1, 900)],
  [2, manifest(2, 1800, [{ kind: 'rate-limit', fromMs: 100, toMs: 600 }, { kind: 'retry', fromMs: 700, toMs: 900 }])],
  [3, manifest(3, 5000, [{ kind: 'rate-limit', fromMs: 0, toMs: 4000 }])],
]);
const report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3);
const html = renderRunHtml([report], '.nx/nx-phases/last-run.json', 1_700_000_000_000);

describe('run report waits', () => {
  it('moves a ran phase\'s waits onto its task clock (process start-up first) and ignores a cache hit\'s', () => {
    expect(report.phases.find((p) => p.number === 2)!.waits).toEqual([
      { kind: 'rate-limit', fromMs: 300, toMs: 800 },
      { kind: 'retry', fromMs: 900, toMs: 1100 },
    ]);
    expect(report.phases.find((p) => p.number === 3)!.waits).toBeUndefined();
  });
});

describe('renderRunHtml', () => {
  it('is one self-contained page without script', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  });

  it('draws one bar per phase, rows by level then number, coloured by status', () => {
    const rows = [...html.matchAll(/<g class="bar-group [^"]*" data-phase="(\d+)" data-level="(\d+)" data-status="([^"]+)"/g)].map((m) => [Number(m[1]), Number(m[2]), m[3]]);
    expect(rows).toEqual([[1, 1, 'ran'], [2, 2, 'ran'], [3, 2, 'cache hit'], [5, 2, 'skipped'], [4, 3, 'failed']]);
    expect(html.match(/<rect class="bar /g)).toHaveLength(5);
    expect(html).toMatch(new RegExp(`<rect class="bar status-cache-hit"[^>]*fill="${STATUS_COLOURS['cache hit']}"`));
    expect(html).toMatch(new RegExp(`<rect class="bar status-ran"[^>]*fill="${STATUS_COLOURS.ran}"`));
    expect(STATUS_COLOURS['cache hit']).not.toBe(STATUS_COLOURS.ran);
  });

  it('hatches rate-limit waits and retries inside the bars', () => {
    expect(html.match(/<rect class="wait rate-limit"/g)).toHaveLength(1);
    expect(html.match(/<rect class="wait retry"/g)).toHaveLength(1);
  });

  it('marks the critical path and prints the metrics table', () => {
    expect([...html.matchAll(/<g class="bar-group [^"]*critical" data-phase="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1, 2, 4]);
    expect(html.match(/class="critical-mark"/g)).toHaveLength(3);
    expect(html.match(/<line class="critical-link"/g)).toHaveLength(2);
    for (const metric of ['makespan', 'Σ durations', 'average concurrency (Σ / makespan)', 'lower bound', 'efficiency', 'generator calls', 'retries', 'tokens spent', 'tokens saved by the cache']) {
      expect(html).toContain(`<th>${metric}`);
    }
    expect(html).toContain('<th>tokens saved by the cache</th><td>150 (2 calls)</td>');
  });

  it('escapes names from disk', () => {
    expect(html).not.toContain('Auth <b>');
    expect(html).toContain('Auth &lt;b&gt;');
  });
});
