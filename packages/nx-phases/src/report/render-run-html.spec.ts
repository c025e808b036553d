import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import { renderRunHtml, STATUS_COLOURS } from './render-run-html';
import { buildPlanRunReport, type PhaseTaskRun, type PlanRunReport } from './run-report';

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
const manifest = (number: number, durationMs: number, waits?: PhaseManifest['waits'], usd?: number): PhaseManifest => ({
  plan: 'shop', phase: { number, name: `P${number}` }, files: {}, features: [], snapshotHash: 'x'.repeat(64),
  generator: { use: 'nx-phases:openai', options: {} }, durationMs,
  usage: { calls: 2, retries: 1, promptTokens: 100, completionTokens: 50, waitMs: 700 }, warnings: [], ...(waits ? { waits } : {}),
  ...(usd !== undefined ? { cost: { usd, models: ['gpt-4o'], priceTableDate: '2025-08-07' } } : {}),
});
const runs = [run(1, 'ran', 1000, 2000), run(2, 'ran', 2000, 4000), run(3, 'cache hit', 2000, 2050), run(4, 'failed', 4000, 4500), run(5, 'skipped')];
const manifests = new Map([
  [1, manifest(1, 900, undefined, 0.0123)],
  [2, manifest(2, 1800, [{ kind: 'rate-limit', fromMs: 100, toMs: 600 }, { kind: 'retry', fromMs: 700, toMs: 900 }])],
  [3, manifest(3, 5000, [{ kind: 'rate-limit', fromMs: 0, toMs: 4000 }], 0.5)],
]);
// Built before each test, not when the file loads: StrykerJS switches a mutant on as a test starts, so a page drawn at
// load time would never show one.
let report: PlanRunReport;
let html: string;
beforeEach(() => {
  report = buildPlanRunReport(plan, 'apps/shop/phases.json', runs, manifests, 3);
  html = renderRunHtml([report], '.nx/nx-phases/last-run.json', 1_700_000_000_000);
});

describe('run report waits', () => {
  it('moves a ran phase\'s waits onto its task clock (process start-up first) and ignores a cache hit\'s', () => {
    expect(report.phases.find((p) => p.number === 2)!.waits).toEqual([
      { kind: 'rate-limit', fromMs: 300, toMs: 800 },
      { kind: 'retry', fromMs: 900, toMs: 1100 },
    ]);
    expect(report.phases.find((p) => p.number === 3)!.waits).toBeUndefined();
  });
});

/** One phase row of the chart as drawn: its bar and wait rectangles, in document order. */
interface DrawnRow {
  phase: number;
  level: number;
  status: string;
  critical: boolean;
  bar: { x: number; y: number; width: number; fill: string; dashed: boolean };
  waits: Array<{ kind: string; x: number; width: number }>;
}

const num = (tag: string, name: string) => Number(new RegExp(`\\b${name}="([-\\d.]+)"`).exec(tag)![1]);

/** The rows of the first Gantt chart in `page`, read back from the SVG. */
function drawnRows(page: string): DrawnRow[] {
  return [...page.matchAll(/<g class="bar-group ([^"]*)" data-phase="(\d+)" data-level="(\d+)" data-status="([^"]+)">(.*?)<\/g>/g)].map((m) => {
    const barTag = /<rect class="bar [^>]*>/.exec(m[5])![0];
    return {
      phase: Number(m[2]),
      level: Number(m[3]),
      status: m[4],
      critical: m[1].split(' ').includes('critical'),
      bar: { x: num(barTag, 'x'), y: num(barTag, 'y'), width: num(barTag, 'width'), fill: /fill="([^"]+)"/.exec(barTag)![1], dashed: barTag.includes('stroke-dasharray') },
      waits: [...m[5].matchAll(/<rect class="wait ([a-z-]+)"[^>]*>/g)].map((w) => ({ kind: w[1], x: num(w[0], 'x'), width: num(w[0], 'width') })),
    };
  });
}

/** The time axis as drawn: pixel of 0 ms and pixels per ms, from the tick lines and their labels (`0 ms`, `500 ms`, `1.0 s`). */
function drawnAxis(page: string): { zeroPx: number; pxPerMs: number; ticks: Array<[number, number]> } {
  const lines = [...page.matchAll(/<line class="tick" x1="([-\d.]+)"/g)].map((m) => Number(m[1]));
  const labels = [...page.matchAll(/<text class="tick"[^>]*>([\d.]+) (ms|s)<\/text>/g)].map((m) => Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  const ticks = labels.map((ms, i): [number, number] => [ms, lines[i]]);
  const [[ms0, px0], [ms1, px1]] = [ticks[0], ticks[ticks.length - 1]];
  const pxPerMs = (px1 - px0) / (ms1 - ms0);
  return { zeroPx: px0 - ms0 * pxPerMs, pxPerMs, ticks };
}

describe('renderRunHtml', () => {
  let rows: DrawnRow[];
  let axis: ReturnType<typeof drawnAxis>;
  beforeEach(() => {
    rows = drawnRows(html);
    axis = drawnAxis(html);
  });
  const at = (ms: number) => axis.zeroPx + ms * axis.pxPerMs;
  const row = (phase: number) => rows.find((r) => r.phase === phase)!;

  it('is one self-contained page without script', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  });

  it('has a linear time axis starting at 0 ms whose ticks span the makespan', () => {
    expect(axis.ticks[0][0]).toBe(0);
    expect(axis.pxPerMs).toBeGreaterThan(0);
    for (const [ms, px] of axis.ticks) expect(px).toBeCloseTo(at(ms), 6);
    expect(axis.ticks[axis.ticks.length - 1][0]).toBeLessThanOrEqual(report.makespanMs);
    expect(axis.ticks[axis.ticks.length - 1][0]).toBeGreaterThan(report.makespanMs / 2);
  });

  it('draws each bar from its start offset, as wide as its duration, on that axis', () => {
    // Starts: 1 at 0, 2 and 3 at 1000 ms, 4 at 3000 ms; durations 1000, 2000, 50, 500 ms.
    const expected: Array<[number, number, number]> = [[1, 0, 1000], [2, 1000, 2000], [3, 1000, 50], [4, 3000, 500]];
    for (const [phase, startMs, durationMs] of expected) {
      expect([phase, row(phase).bar.x]).toEqual([phase, expect.closeTo(at(startMs), 6)]);
      expect([phase, row(phase).bar.width]).toEqual([phase, expect.closeTo(Math.max(3, durationMs * axis.pxPerMs), 6)]);
    }
    expect(row(2).bar.x).toBeGreaterThan(row(1).bar.x);
    expect(row(4).bar.x).toBeCloseTo(row(2).bar.x + row(2).bar.width, 6);
  });

  it('orders rows by level then number, one row each, top to bottom', () => {
    expect(rows.map((r) => [r.phase, r.level, r.status])).toEqual([[1, 1, 'ran'], [2, 2, 'ran'], [3, 2, 'cache hit'], [5, 2, 'skipped'], [4, 3, 'failed']]);
    const ys = rows.map((r) => r.bar.y);
    const step = ys[1] - ys[0];
    expect(step).toBeGreaterThan(0);
    ys.forEach((y, i) => expect(y).toBeCloseTo(ys[0] + i * step, 6));
  });

  it('colours bars by status, and draws a skipped phase as a dashed mark where its dependency ended', () => {
    expect(rows.map((r) => [r.phase, r.bar.fill])).toEqual([
      [1, STATUS_COLOURS.ran], [2, STATUS_COLOURS.ran], [3, STATUS_COLOURS['cache hit']], [5, 'none'], [4, STATUS_COLOURS.failed],
    ]);
    expect(new Set(Object.values(STATUS_COLOURS)).size).toBe(4);
    // 5 depends on 1 only (which ended at 1000 ms); it never ran, so it has a marker, not a bar.
    expect(row(5).bar).toMatchObject({ dashed: true, x: expect.closeTo(at(1000), 6) });
    expect(html).toMatch(/<text class="skipped" x="[\d.]+" y="[\d.]+">skipped<\/text>/);
  });

  it('hatches rate-limit waits and retries inside the bars, on the task clock', () => {
    // Phase 2's task took 2000 ms, its manifest run 1800 ms: its waits move 200 ms later (300–800, 900–1100 ms).
    expect(row(2).waits).toEqual([
      { kind: 'rate-limit', x: expect.closeTo(at(1000 + 300), 6), width: expect.closeTo(500 * axis.pxPerMs, 6) },
      { kind: 'retry', x: expect.closeTo(at(1000 + 900), 6), width: expect.closeTo(200 * axis.pxPerMs, 6) },
    ]);
    expect(rows.filter((r) => r.phase !== 2).flatMap((r) => r.waits)).toEqual([]);
  });

  it('marks the critical path and links the end of each of its bars to the start of the next', () => {
    expect(rows.filter((r) => r.critical).map((r) => r.phase)).toEqual([1, 2, 4]);
    const links = [...html.matchAll(/<line class="critical-link" x1="([-\d.]+)" y1="([-\d.]+)" x2="([-\d.]+)" y2="([-\d.]+)"\/>/g)].map((m) => m.slice(1).map(Number));
    const mid = (phase: number) => row(phase).bar.y + 8;
    expect(links).toEqual([
      [expect.closeTo(at(1000), 6), expect.closeTo(mid(1), 6), expect.closeTo(at(1000), 6), expect.closeTo(mid(2), 6)],
      [expect.closeTo(at(3000), 6), expect.closeTo(mid(2), 6), expect.closeTo(at(3000), 6), expect.closeTo(mid(4), 6)],
    ]);
  });

  it('prints the metrics table', () => {
    const metrics = Object.fromEntries([...html.matchAll(/<tr><th>([^<]+)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]));
    expect(metrics).toMatchObject({
      phases: '5: 2 ran, 1 cache hit, 1 failed, 1 skipped',
      makespan: '3.5 s',
      'Σ durations': '3.5 s',
      'average concurrency (Σ / makespan)': '1.01',
      'efficiency (lower bound / makespan)': '1.00',
      'critical path (durations measured in this run)': '3.5 s: 1. Setup → 2. Database → 4. Checkout',
      'generator calls (failed attempts included)': '4',
      retries: '2',
      'tokens spent': '300',
      'tokens saved by the cache': '150 (2 calls)',
      'cost this run (prices of 2025-08-07)': '$0.0123 + unknown (phase 2: no price)',
      'cost saved by the cache (prices of 2025-08-07)': '$0.5000',
    });
  });

  it("names each phase's cost (what the cache saved, for a cache hit) in its bar's tooltip", () => {
    const titles = [...html.matchAll(/data-phase="(\d)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(titles)).toMatchObject({
      '1': expect.stringContaining('; cost $0.0123'),
      '2': expect.stringContaining('; cost unknown (no price)'),
      '3': expect.stringContaining('; saved $0.5000'),
    });
  });

  it('lists each phase that made calls with its cost, or what the cache saved, under the price table\'s date', () => {
    expect(html).toContain('<h2>Cost by phase <span class="meta">(prices of 2025-08-07)</span></h2>');
    const rows = [...html.matchAll(/<tr data-phase="(\d)">(.*?)<\/tr>/g)].map((m) => [m[1], [...m[2].matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1])]);
    expect(rows).toEqual([
      ['1', ['1. Setup', 'ran', '$0.0123', 'spent', 'gpt-4o']],
      ['2', ['2. Database', 'ran', 'unknown (no price)', 'spent', '']],
      ['3', ['3. Auth &lt;b&gt;', 'cache hit', '$0.5000', 'saved by the cache', 'gpt-4o']],
    ]);
  });

  it('says why a cost is unknown when a call got no answer (its usage was never reported), not "no price"', () => {
    const noAnswer: PhaseManifest = { ...manifest(2, 1800), cost: { usd: null, models: ['gpt-4o'], priceTableDate: '2025-08-07', unanswered: 1 } };
    const page = renderRunHtml([buildPlanRunReport(plan, 'apps/shop/phases.json', runs, new Map([...manifests, [2, noAnswer]]), 3)], 'r.json', 1_700_000_000_000);
    expect(page).toContain('<td>2. Database</td><td>ran</td><td>unknown (a call got no answer: usage never reported)</td>');
    expect(page).toMatch(/data-phase="2"[^>]*><title>[^<]*; cost unknown \(a call got no answer: usage never reported\)/);
    expect(page).toContain('$0.0123 + unknown (phase 2: a call got no answer, so its usage was never reported)');
    expect(page).not.toContain('no price');
  });

  it('escapes names from disk', () => {
    expect(html).not.toContain('Auth <b>');
    expect(html).toContain('Auth &lt;b&gt;');
  });
});
