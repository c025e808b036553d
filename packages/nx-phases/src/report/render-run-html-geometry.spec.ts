import { testPlan } from '../test-utils/report-plan';
import type { PhaseManifest } from '../runtime/manifest';
import type { PhaseRunRecord } from '../runtime/run-records';
import { renderRunHtml, SEGMENT_COLOURS, STATUS_COLOURS } from './render-run-html';
import { buildPlanRunReport, withRunRecords, type PhaseTaskRun, type PlanRunReport } from './run-report';

const T0 = 1_700_000_000_000;
const run = (number: number, status: PhaseTaskRun['status'], start?: number, end?: number): PhaseTaskRun => ({
  appRoot: 'apps/shop', number, project: `shop-${number}`, status,
  ...(start !== undefined && end !== undefined ? { startTime: T0 + start, endTime: T0 + end } : {}),
});
const usage = (calls: number, promptTokens = 0, completionTokens = 0, extra: { retries?: number; waitMs?: number } = {}) => ({ calls, retries: extra.retries ?? 0, promptTokens, completionTokens, waitMs: extra.waitMs ?? 0 });
const manifest = (number: number, durationMs: number, extra: Partial<PhaseManifest> = {}): PhaseManifest => ({
  plan: 'shop', phase: { number, name: `P${number}` }, files: {}, features: [], snapshotHash: 'x'.repeat(64),
  generator: { use: 'nx-phases:openai', options: {} }, durationMs, usage: usage(0), warnings: [], ...extra,
});

/** Every attribute of every tag named `tag` with class `cls` (first class word) in `svg`, in document order. */
function tags(svg: string, tag: string, cls: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} class="${cls}(?: [^"]*)?"[^>]*>`, 'g'))].map((m) => Object.fromEntries([...m[0].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));
}
const n = (value: string | undefined) => Number(value);

/** Each bar group's inner markup by phase number. */
function groups(page: string): Map<number, string> {
  return new Map([...page.matchAll(/<g class="bar-group [^"]*" data-phase="(\d+)"[^>]*>(.*?)<\/g>/g)].map((m) => [Number(m[1]), m[2]]));
}

// 1 ran with a repair (segments, waits, calls); 2 ran in 1 ms without calls and has a hostile name; 3 failed its
// check after a repair (its run record's diagnostics are hostile text). Critical path: 1 → 3 (3.0 s).
const hostile = '<img src=x onerror=alert(1)> & "quotes"';
const longName = 'Catalog with a name far too long for the label column of the chart';
const plan = testPlan([[1, 'Setup', []], [2, hostile, [1]], [3, longName, [1]]]);
const segments1 = [
  { kind: 'generate' as const, attempt: 1, fromMs: 0, toMs: 300 },
  { kind: 'check' as const, attempt: 1, fromMs: 300, toMs: 500 },
  { kind: 'repair' as const, attempt: 2, fromMs: 500, toMs: 700 },
  { kind: 'check' as const, attempt: 2, fromMs: 700, toMs: 900 },
];
const checks = (passedLast: boolean) => [{ attempt: 1, passed: false, durationMs: 200, diagnostics: 2 }, { attempt: 2, passed: passedLast, durationMs: 200, diagnostics: passedLast ? 0 : 1 }];
const manifests = new Map([
  [1, manifest(1, 1000, {
    usage: usage(2, 1_000_000, 234_567, { retries: 1, waitMs: 700 }), cost: { usd: 0.5, models: ['gpt-4o'], priceTableDate: '2025-08-07' },
    waits: [{ kind: 'rate-limit', fromMs: 100, toMs: 600 }, { kind: 'retry', fromMs: 600, toMs: 800 }], checks: checks(true), segments: segments1,
  })],
  [2, manifest(2, 1)],
]);
const record3: PhaseRunRecord = {
  startedAt: T0 + 1000, endedAt: T0 + 3000, success: false, usage: usage(1, 10), checks: checks(false), waits: [{ kind: 'rate-limit', fromMs: 10, toMs: 11 }],
  segments: [{ kind: 'generate', attempt: 1, fromMs: 0, toMs: 1500 }, { kind: 'check', attempt: 1, fromMs: 1500, toMs: 2500 }],
  diagnostics: ['src/a.ts:1:1 <script>x</script>'],
};
// The page is built before each test, not when the file loads: StrykerJS activates a mutant as a test starts, so a
// page rendered at load time would never show one (Gr: render-run-html 33.6 % while these tests kill it by hand).
let report: PlanRunReport;
let page: string;
let svg: string;
let svgTag: Record<string, string>;
// The chart's scale: 3000 ms over 900 px starting at the label column's right edge (read from the 0 ms tick).
let ticks: Array<Record<string, string>>;
let zeroPx: number;
let pxPerMs: number;
beforeEach(() => {
  const runs = withRunRecords([run(3, 'failed', 1000, 3000), run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 1001)], new Map([[3, record3]]), 'apps/shop');
  report = {
    ...buildPlanRunReport(plan, 'apps/<b>/phases.json', runs, manifests, 3),
    speedUp: { factor: 1.5, baseline: { phases: [1, 2, 3], makespanMs: 4500, recordedAt: '2026-12-01T10:00:00.000Z' } },
  };
  page = renderRunHtml([report], '.nx/"x"/last-run.json', T0);
  svg = /<svg[^>]*class="gantt"[^>]*>[\s\S]*?<\/svg>/.exec(page)![0];
  svgTag = Object.fromEntries([...(/<svg[^>]*>/.exec(svg)![0]).matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
  ticks = tags(svg, 'line', 'tick');
  zeroPx = n(ticks[0].x1);
  pxPerMs = (n(ticks[ticks.length - 1].x1) - zeroPx) / 3000;
});
const at = (ms: number) => zeroPx + ms * pxPerMs;
const bar = (phase: number) => tags(groups(svg).get(phase)!, 'rect', 'bar')[0];

describe('run report page: what each bar holds', () => {
  it('has a 3.0 s axis with a tick each 500 ms, labelled', () => {
    expect([...svg.matchAll(/<text class="tick" x="([\d.]+)" y="[\d.]+">([^<]+)<\/text>/g)].map((m) => m[2])).toEqual(['0 ms', '500 ms', '1.0 s', '1.5 s', '2.0 s', '2.5 s', '3.0 s']);
    ticks.forEach((tick, i) => expect(n(tick.x1)).toBeCloseTo(at(i * 500), 6));
    expect(pxPerMs).toBeGreaterThan(0);
  });

  it('draws each attempt of a checked phase as a segment of its bar, at its recorded times, coloured by kind, named in its tooltip', () => {
    const drawn = (phase: number) =>
      [...groups(svg).get(phase)!.matchAll(/<rect class="segment ([a-z]+)"([^>]*)><title>([^<]*)<\/title><\/rect>/g)].map((m) => {
        const attrs = Object.fromEntries([...m[2].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
        return { kind: m[1], x: n(attrs.x), width: n(attrs.width), y: n(attrs.y), height: n(attrs.height), fill: attrs.fill, attempt: n(attrs['data-attempt']), fromMs: n(attrs['data-from-ms']), toMs: n(attrs['data-to-ms']), title: m[3] };
      });
    const one = drawn(1);
    expect(one.map((s) => [s.kind, s.attempt, s.fill, s.title])).toEqual([
      ['generate', 1, SEGMENT_COLOURS.generate, 'attempt 1: generate, 300 ms'],
      ['check', 1, SEGMENT_COLOURS.check, 'attempt 1: check, 200 ms'],
      ['repair', 2, SEGMENT_COLOURS.repair, 'attempt 2: repair, 200 ms'],
      ['check', 2, SEGMENT_COLOURS.check, 'attempt 2: check, 200 ms'],
    ]);
    expect(one.map((s) => [s.fromMs, s.toMs])).toEqual(segments1.map((s) => [s.fromMs, s.toMs]));
    segments1.forEach((segment, i) => {
      expect(one[i].x).toBeCloseTo(at(segment.fromMs), 6);
      expect(one[i].width).toBeCloseTo((segment.toMs - segment.fromMs) * pxPerMs, 6);
    });
    // Phase 3 started at 1000 ms; its check was cut where its task ended (2000 ms into it).
    expect(drawn(3).map((s) => [s.kind, s.x, s.width])).toEqual([
      ['generate', expect.closeTo(at(1000), 6), expect.closeTo(1500 * pxPerMs, 6)],
      ['check', expect.closeTo(at(2500), 6), expect.closeTo(500 * pxPerMs, 6)],
    ]);
    expect(drawn(2)).toEqual([]);
    // Inside the bar's height, so the bar's colour stays visible around them.
    for (const phase of [1, 3]) {
      for (const segment of drawn(phase)) {
        expect(segment.y).toBeGreaterThan(n(bar(phase).y));
        expect(segment.y + segment.height).toBeLessThan(n(bar(phase).y) + n(bar(phase).height));
      }
    }
  });

  it('draws the waits inside the bar and sums them in the tooltip', () => {
    const waits = tags(groups(svg).get(1)!, 'rect', 'wait');
    expect(waits.map((w) => [w.class, n(w.x), n(w.width), w.fill])).toEqual([
      ['wait rate-limit', expect.closeTo(at(100), 6), expect.closeTo(500 * pxPerMs, 6), 'url(#hatch-rate-limit)'],
      ['wait retry', expect.closeTo(at(600), 6), expect.closeTo(200 * pxPerMs, 6), 'url(#hatch-retry)'],
    ]);
    for (const wait of waits) {
      expect(n(wait.y)).toBeGreaterThan(n(bar(1).y));
      expect(n(wait.y) + n(wait.height)).toBeLessThan(n(bar(1).y) + n(bar(1).height));
    }
    // A 1 ms wait is still drawn, 1 px wide.
    expect(tags(groups(svg).get(3)!, 'rect', 'wait').map((w) => [n(w.x), n(w.width)])).toEqual([[expect.closeTo(at(1010), 6), 1]]);
    expect(groups(svg).get(1)).toContain('<title>waiting for a rate-limit slot: 500 ms</title>');
    expect(groups(svg).get(1)).toContain('<title>retry (failed attempt and backoff): 200 ms</title>');
    expect(svg).toContain('<pattern id="hatch-rate-limit"');
    expect(svg).toContain('<pattern id="hatch-retry"');
  });

  it('says in each bar\'s tooltip its level, status, duration, start, cost, waits, attempts, last diagnostic and the critical path, escaped', () => {
    const titles = new Map([...groups(svg)].map(([phase, inner]) => [phase, /^<title>([^<]*)<\/title>/.exec(inner)![1]]));
    expect(titles.get(1)).toBe('1. Setup (level 1): ran, 1.0 s from 0 ms; cost $0.5000; waited 500 ms for rate-limit slots, lost 200 ms to retries; 2 attempts (1 repair); on the critical path');
    expect(titles.get(2)).toBe('2. &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; (level 2): ran, 1 ms from 1.0 s');
    expect(titles.get(3)).toBe(`3. ${longName} (level 2): failed, 2.0 s from 1.0 s; cost unknown (no price); waited 1 ms for rate-limit slots; 2 attempts (1 repair); last check: src/a.ts:1:1 &lt;script&gt;x&lt;/script&gt;; on the critical path`);
  });

  it('keeps a 1 ms bar visible (3 px wide) and marks the critical phases with ◆ just after their bars', () => {
    expect(n(bar(2).width)).toBe(3);
    expect(n(bar(2).x)).toBeCloseTo(at(1000), 6);
    const marks = new Map([...groups(svg)].map(([phase, inner]) => [phase, tags(inner, 'text', 'critical-mark')[0]]));
    expect(marks.get(2)).toBeUndefined();
    for (const phase of [1, 3]) {
      expect(n(marks.get(phase)!.x)).toBe(n(bar(phase).x) + n(bar(phase).width) + 4);
      const y = n(marks.get(phase)!.y);
      expect(y).toBeGreaterThan(n(bar(phase).y));
      expect(y).toBeLessThanOrEqual(n(bar(phase).y) + n(bar(phase).height));
    }
    expect(groups(svg).get(1)).toMatch(/<text class="critical-mark"[^>]*>◆<\/text>$/);
  });

  it('fits every row in the drawing: row backgrounds striped, bars inside their row, tick lines from the axis to the last row', () => {
    const width = n(svgTag.width);
    const height = n(svgTag.height);
    expect(svgTag.viewBox).toBe(`0 0 ${width} ${height}`);
    const backgrounds = tags(svg, 'rect', 'row-bg');
    expect(backgrounds.map((b) => b.class)).toEqual(['row-bg even', 'row-bg', 'row-bg even']);
    const rowsInOrder = [1, 2, 3];
    backgrounds.forEach((background, i) => {
      expect([n(background.x), n(background.width)]).toEqual([0, width]);
      const top = n(background.y);
      const bottom = top + n(background.height);
      if (i > 0) expect(top).toBe(n(backgrounds[i - 1].y) + n(backgrounds[i - 1].height));
      const b = bar(rowsInOrder[i]);
      expect(n(b.y)).toBeGreaterThan(top);
      expect(n(b.y) + n(b.height)).toBeLessThan(bottom);
      expect(n(b.y) - top).toBeCloseTo(bottom - (n(b.y) + n(b.height)), 6);
      const texts = [...groups(svg).get(rowsInOrder[i])!.matchAll(/<text class="(level|label)" x="([\d.]+)" y="([\d.]+)">/g)];
      for (const text of texts) expect(n(text[3])).toBeGreaterThan(top);
      for (const text of texts) expect(n(text[3])).toBeLessThan(bottom);
    });
    const lastBottom = n(backgrounds[2].y) + n(backgrounds[2].height);
    expect(height).toBeGreaterThan(lastBottom);
    for (const tick of ticks) {
      expect(n(tick.y1)).toBeLessThan(n(backgrounds[0].y));
      expect(n(tick.y2)).toBe(lastBottom);
    }
    const labels = [...svg.matchAll(/<text class="tick" x="([\d.]+)" y="([\d.]+)">/g)];
    labels.forEach((label, i) => {
      expect(n(label[1])).toBeGreaterThan(n(ticks[i].x1));
      expect(n(label[2])).toBeLessThan(n(ticks[i].y1) + 1);
    });
    for (const phase of [1, 2, 3]) expect(n(bar(phase).x) + n(bar(phase).width)).toBeLessThanOrEqual(width);
    // As much room right of the chart as left of the labels.
    expect(width - at(3000)).toBeGreaterThanOrEqual(n(/<text class="level" x="([\d.]+)"/.exec(svg)![1]));
  });

  it('labels each row with its level and its name cut to fit the label column (left of the time axis)', () => {
    const label = (phase: number) => /<text class="level" x="([\d.]+)"[^>]*>([^<]*)<\/text><text class="label" x="([\d.]+)"[^>]*>([^<]*)<\/text>/.exec(groups(svg).get(phase)!)!;
    expect([1, 2, 3].map((phase) => label(phase)[2])).toEqual(['L1', 'L2', 'L2']);
    expect(label(1)[4]).toBe('1. Setup');
    const cut = label(3)[4];
    expect(cut.endsWith('…')).toBe(true);
    expect(`3. ${longName}`.startsWith(cut.slice(0, -1))).toBe(true);
    for (const phase of [1, 2, 3]) {
      const [levelX, labelX] = [n(label(phase)[1]), n(label(phase)[3])];
      expect(levelX).toBeGreaterThanOrEqual(0);
      expect(labelX).toBeGreaterThan(levelX + 20);
      // 12 px text averages at most 7.2 px a character: the label ends before the axis starts.
      const shown = label(phase)[4].replace(/&(lt|gt|amp|quot|#39);/g, '_');
      expect(labelX + [...shown].length * 7.2).toBeLessThanOrEqual(zeroPx);
    }
    expect(cut.length).toBeGreaterThan(20);
  });

  it('names in the legend the colour of each status and attempt kind, as the bars use them', () => {
    const legend = /<div class="legend">(.*?)<\/div>/.exec(page)![1];
    const swatches = Object.fromEntries([...legend.matchAll(/<span class="swatch" style="background:(#[0-9a-f]{6})"><\/span>([^<]+)<\/span>/g)].map((m) => [m[2], m[1]]));
    expect(swatches).toEqual({
      ran: STATUS_COLOURS.ran, 'cache hit': STATUS_COLOURS['cache hit'], failed: STATUS_COLOURS.failed, skipped: STATUS_COLOURS.skipped,
      'generate (attempt 1)': SEGMENT_COLOURS.generate, check: SEGMENT_COLOURS.check, 'repair (a later attempt)': SEGMENT_COLOURS.repair,
    });
    expect([bar(1).fill, bar(3).fill]).toEqual([STATUS_COLOURS.ran, STATUS_COLOURS.failed]);
    expect(legend).toContain('</span>waiting for a rate-limit slot</span>');
    expect(legend).toContain('</span>retry (failed attempt and backoff)</span>');
    expect(legend).toContain('</span>◆ critical path</span>');
  });

  it('prints every metric: speed-up against the baseline, lower bound on 3 workers, checks, waits, tokens with separators, cost', () => {
    const metrics = Object.fromEntries([...page.matchAll(/<tr><th>([^<]+)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]));
    expect(metrics).toEqual({
      phases: '3: 2 ran, 0 cache hits, 1 failed, 0 skipped',
      makespan: '3.0 s',
      'Σ durations': '3.0 s',
      'average concurrency (Σ / makespan)': '1.00',
      'speed-up': 'speed-up 1.50× against the measured sequential baseline: the --parallel=1 run of the same 3 phases at 2026-12-01T10:00:00.000Z took 4.5 s',
      'lower bound (max(critical path, Σ / 3))': '3.0 s',
      'efficiency (lower bound / makespan)': '1.00',
      'critical path (durations measured in this run)': `3.0 s: 1. Setup → 3. ${longName}`,
      checks: '2 phases ran with a check: 0 passed first time (0 %), 1 repaired, 1 failed its check, 4 attempts: retry rate 100 %',
      'generator calls (failed attempts included)': '3',
      retries: '1',
      'rate-limit and retry waits': '700 ms',
      'tokens spent': '1,234,577',
      'tokens saved by the cache': '0 (0 calls)',
      'cost this run (prices of 2025-08-07)': '$0.5000 + unknown (phase 3: no price)',
      'cost saved by the cache (prices of 2025-08-07)': '$0.0000',
    });
  });

  it('escapes the plan file, report file and phase names from disk wherever they appear', () => {
    expect(page).not.toMatch(/<(script|img|b)[\s>]/);
    expect(page).toContain('<title>nx-phases run report</title>');
    expect(page).toContain('<body>\n<h1>nx-phases run report</h1>\n');
    expect(page).toContain('<p class="meta">Finished 2023-11-14T22:13:20.000Z · 1 plan · data: .nx/&quot;x&quot;/last-run.json</p>');
    expect(page).toContain('<section class="plan" data-plan="shop">');
    expect(page).toContain('<h2>shop <span class="meta">(apps/&lt;b&gt;/phases.json, --parallel=3)</span></h2>');
    expect(svg).toContain('aria-label="Gantt chart of shop"');
    expect(/<text class="label"[^>]*>([^<]*)<\/text>/.exec(groups(svg).get(2)!)![1]).toMatch(/^2\. &lt;img src=x onerror=/);
    expect(page).toContain('<tr data-phase="1"><td>1. Setup</td><td>ran</td><td>$0.5000</td><td>spent</td><td>gpt-4o</td></tr>');
  });
});

/** Text of the page that sits directly in an element not meant to show text (stray characters between elements). */
function strayText(html: string): string[] {
  const body = /<body>([\s\S]*)<\/body>/.exec(html)![1];
  const holdsText = new Set(['h1', 'h2', 'p', 'span', 'td', 'th', 'title', 'text']);
  const stack: string[] = [];
  const stray: string[] = [];
  for (const [token] of body.matchAll(/<[^>]+>|[^<]+/g)) {
    if (token.startsWith('</')) {
      const name = /^<\/([\w-]+)/.exec(token)![1];
      if (stack.pop() !== name) stray.push(`unbalanced ${token}`);
    }
    else if (token.startsWith('<')) {
      if (!token.endsWith('/>')) stack.push(/^<([\w-]+)/.exec(token)![1]);
    } else if (token.trim() !== '' && !holdsText.has(stack[stack.length - 1])) stray.push(`${stack[stack.length - 1] ?? 'body'}: ${token.trim()}`);
  }
  expect(stack).toEqual([]);
  return stray;
}

describe('run report page: structure', () => {
  it('puts every piece of text inside an element that shows it, nothing stray between elements', () => {
    expect(strayText(page)).toEqual([]);
  });
});

describe('run report page: other runs', () => {
  it('draws a skipped phase as a dashed 6 px mark where its dependency ended, its word "skipped" just right of it', () => {
    const two = testPlan([[1, 'Setup', []], [2, 'Database', [1]]]);
    const html = renderRunHtml([buildPlanRunReport(two, 'x', [run(1, 'failed', 0, 1000), run(2, 'skipped')], new Map(), 3)], 'r.json', T0);
    const group = groups(html).get(2)!;
    const mark = tags(group, 'rect', 'bar')[0];
    const word = /<text class="skipped" x="([\d.]+)" y="([\d.]+)">skipped<\/text>/.exec(group)!;
    const failed = tags(groups(html).get(1)!, 'rect', 'bar')[0];
    expect(n(mark.x)).toBeCloseTo(n(failed.x) + n(failed.width), 6);
    expect([mark.width, mark.fill, mark['stroke-dasharray'], mark.stroke]).toEqual(['6', 'none', '2 2', STATUS_COLOURS.skipped]);
    expect(n(word[1])).toBeGreaterThan(n(mark.x) + 6);
    expect(n(word[1])).toBeLessThan(n(mark.x) + 20);
    expect(n(word[2])).toBeGreaterThan(n(mark.y));
    expect(n(word[2])).toBeLessThanOrEqual(n(mark.y) + n(mark.height));
    expect(strayText(html)).toEqual([]);
  });


  it('says an all-cache run was restored, lists no cost table without calls, and draws no NaN without task times', () => {
    const two = testPlan([[1, 'Setup', []], [2, 'Database', [1]]]);
    const cached = buildPlanRunReport(two, 'x', [run(2, 'cache hit'), run(1, 'cache hit')], new Map([[1, manifest(1, 10)], [2, manifest(2, 10)]]), 3);
    const html = renderRunHtml([cached], 'r.json', T0);
    const metrics = Object.fromEntries([...html.matchAll(/<tr><th>([^<]+)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]));
    expect(metrics.timing).toBe('all 2 phases restored from cache; nothing was generated');
    expect(metrics.makespan).toBeUndefined();
    expect(html).not.toContain('Cost by phase');
    expect(html).not.toMatch(/NaN|Infinity/);
    const xs = [...html.matchAll(/<rect class="bar [^"]*" x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(2);
    expect(new Set(xs).size).toBe(1);
    expect(html).toContain('<p class="meta">Finished 2023-11-14T22:13:20.000Z · 1 plan · data: r.json</p>');
  });

  it('says a speed-up does not apply when not every phase ran in this run', () => {
    const two = testPlan([[1, 'Setup', []], [2, 'Database', [1]]]);
    const mixed = buildPlanRunReport(two, 'x', [run(1, 'cache hit', 0, 10), run(2, 'ran', 10, 1010)], new Map([[1, manifest(1, 10)], [2, manifest(2, 900)]]), 3);
    const html = renderRunHtml([mixed], 'r.json', T0);
    expect(html).toContain('<tr><th>speed-up</th><td>not applicable (not every phase ran in this run)</td></tr>');
  });

  it.each([
    [300, ['0 ms', '100 ms', '200 ms', '300 ms']],
    [10_000, ['0 ms', '1.0 s', '2.0 s', '3.0 s', '4.0 s', '5.0 s', '6.0 s', '7.0 s', '8.0 s', '9.0 s', '10.0 s']],
    [12 * 3_600_000, Array.from({ length: 13 }, (_, h) => (h === 0 ? '0 ms' : `${h * 60} min 00 s`))],
  ])('puts a tick at each round step of a %d ms run, the end included', (ms, labels) => {
    const one = testPlan([[1, 'Setup', []]]);
    const html = renderRunHtml([buildPlanRunReport(one, 'x', [run(1, 'ran', 0, ms)], new Map(), 3)], 'r.json', T0);
    expect([...html.matchAll(/<text class="tick"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(labels);
    const xs = [...html.matchAll(/<line class="tick" x1="([\d.]+)"/g)].map((m) => Number(m[1]));
    const step = (xs[xs.length - 1] - xs[0]) / (xs.length - 1);
    xs.forEach((x, i) => expect(x).toBeCloseTo(xs[0] + i * step, 6));
    // The last tick is the bar's end.
    const b = /<rect class="bar [^"]*" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(html)!;
    expect(Number(b[1]) + Number(b[2])).toBeCloseTo(xs[xs.length - 1], 6);
  });

  it('gives each bar and its group the class status-<status> (status-cache-hit for a cache hit), which the browser tests select bars by', () => {
    // 1 ran, 2 restored from cache, 3 failed, 4 skipped (it needs 3). Critical path: 1 → 3 (a skipped phase is on none).
    const four = testPlan([[1, 'Setup', []], [2, 'Database', [1]], [3, 'Auth', [1]], [4, 'Checkout', [3]]]);
    const mixed = buildPlanRunReport(four, 'x', [run(1, 'ran', 0, 1000), run(2, 'cache hit', 1000, 1010), run(3, 'failed', 1000, 2000), run(4, 'skipped')], new Map([[2, manifest(2, 10)]]), 3);
    const html = renderRunHtml([mixed], 'r.json', T0);
    const classes = [...html.matchAll(/<g class="([^"]*)" data-phase="(\d+)"[^>]*>(.*?)<\/g>/g)].map((m) => [Number(m[2]), m[1].split(' '), /<rect class="([^"]*)"/.exec(m[3])![1].split(' ')]);
    expect(classes).toEqual([
      [1, ['bar-group', 'status-ran', 'critical'], ['bar', 'status-ran']],
      [2, ['bar-group', 'status-cache-hit'], ['bar', 'status-cache-hit']],
      [3, ['bar-group', 'status-failed', 'critical'], ['bar', 'status-failed']],
      [4, ['bar-group', 'status-skipped'], ['bar', 'status-skipped']],
    ]);
  });

  it('links each critical bar\'s end to the next one\'s start along a chain of three, with nothing between the links', () => {
    const chain = testPlan([[1, 'Setup', []], [2, 'Database', [1]], [3, 'Auth', [2]]]);
    const html = renderRunHtml([buildPlanRunReport(chain, 'x', [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 1500), run(3, 'ran', 1500, 3000)], new Map(), 3)], 'r.json', T0);
    const bars = [1, 2, 3].map((phase) => tags(groups(html).get(phase)!, 'rect', 'bar')[0]);
    const mid = (i: number) => n(bars[i].y) + n(bars[i].height) / 2;
    const links = tags(html, 'line', 'critical-link').map((link) => [n(link.x1), n(link.y1), n(link.x2), n(link.y2)]);
    expect(links).toEqual([0, 1].map((i) => [
      expect.closeTo(n(bars[i].x) + n(bars[i].width), 6), expect.closeTo(mid(i), 6), expect.closeTo(n(bars[i + 1].x), 6), expect.closeTo(mid(i + 1), 6),
    ]));
    expect(strayText(html)).toEqual([]);
  });

  it('heads the cost table with its columns and lists each phase that made calls: its status, cost, what the cost is, every model; one call saved is "1 call"', () => {
    // 1 ran on two models; 2 restored from cache (its calls' cost saved); 3 ran without a price; 4 made no calls.
    const four = testPlan([[1, 'Setup', []], [2, 'Database', [1]], [3, 'Auth', [1]], [4, 'Checkout', [3]]]);
    const cost = (usd: number, models: string[]) => ({ cost: { usd, models, priceTableDate: '2025-08-07' } });
    const costed = new Map([
      [1, manifest(1, 1000, { usage: usage(3, 100, 50), ...cost(0.25, ['gpt-4o', 'gpt-4o-mini']) })],
      [2, manifest(2, 10, { usage: usage(1, 10, 5), ...cost(0.1, ['gpt-4o']) })],
      [3, manifest(3, 500, { usage: usage(1, 10, 5) })],
      [4, manifest(4, 500)],
    ]);
    const runs = [run(1, 'ran', 0, 1000), run(2, 'cache hit', 1000, 1010), run(3, 'ran', 1000, 1500), run(4, 'ran', 1500, 2000)];
    const html = renderRunHtml([buildPlanRunReport(four, 'x', runs, costed, 3)], 'r.json', T0);
    const table = /<table class="costs">(.*?)<\/table>/.exec(html)![1];
    const rows = [...table.matchAll(/<tr(?: data-phase="(\d+)")?>(.*?)<\/tr>/g)].map((m) => [m[1] ?? 'head', [...m[2].matchAll(/<t[hd]>([^<]*)<\/t[hd]>/g)].map((c) => c[1])]);
    expect(rows).toEqual([
      ['head', ['phase', 'status', 'cost', '', 'models']],
      ['1', ['1. Setup', 'ran', '$0.2500', 'spent', 'gpt-4o, gpt-4o-mini']],
      ['2', ['2. Database', 'cache hit', '$0.1000', 'saved by the cache', 'gpt-4o']],
      ['3', ['3. Auth', 'ran', 'unknown (no price)', 'spent', '']],
    ]);
    expect(strayText(html)).toEqual([]);
    expect(html).toContain('<tr><th>tokens saved by the cache</th><td>15 (1 call)</td></tr>');
  });

  it('counts two plans in the page header and draws one section each, in the order given', () => {
    const one = testPlan([[1, 'Setup', []]]);
    const a = buildPlanRunReport(one, 'apps/a/phases.json', [run(1, 'ran', 0, 10)], new Map(), 3);
    const html = renderRunHtml([a, { ...a, plan: 'other', planFile: 'apps/b/phases.json' }], 'r.json', T0);
    expect(html).toContain('· 2 plans ·');
    expect([...html.matchAll(/<section class="plan" data-plan="([^"]+)">/g)].map((m) => m[1])).toEqual(['shop', 'other']);
  });
});
