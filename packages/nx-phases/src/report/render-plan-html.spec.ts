import { testPlan } from '../test-utils/report-plan';
import { estimateDurations } from './durations';
import { buildExecutionPlan } from './execution-plan';
import { layoutPlan, MAX_COLUMNS_PER_BAND, MAX_ROWS_PER_COLUMN } from './plan-layout';
import { renderPlanHtml } from './render-plan-html';
import { sharedFileContributors } from './shared-files';

const plan = testPlan([
  [1, 'Setup', [], ['src/App.tsx']],
  [2, 'Database', [1], ['src/db.ts']],
  [3, 'Auth <script>alert(1)</script>', [1], ['src/auth.ts', 'src/nav.ts']],
  [4, 'A catalog phase with a very long name that cannot fit in one box', [1], ['src/catalog.ts', 'src/nav.ts']],
  [5, 'Polish', [2, 3, 4], ['src/App.tsx']],
]);
const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;

describe('renderPlanHtml', () => {
  const html = renderPlanHtml(plan, buildExecutionPlan(plan, 'apps/shop/phases.json', 3, undefined));

  it('is one self-contained page: no script, no external reference, fetches forbidden', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('draws one box per phase and one edge per dependency, the conflict fix marked with its reason', () => {
    expect(count(html, /<g class="phase[ "]/g)).toBe(5);
    expect(count(html, /<g class="edge[ "]/g)).toBe(7);
    const fix = html.match(/<g class="edge conflict-fix[^>]*data-from="3" data-to="4"><title>([^<]*)<\/title>/);
    expect(fix?.[1]).toBe('Phase 3 (Auth &lt;script&gt;alert(1)&lt;/script&gt;) and Phase 4 (A catalog phase with a very long name that cannot fit in one box) both plan to write src/nav.ts; added dependency 4 → 3');
    expect(count(html, /class="edge conflict-fix/g)).toBe(1);
  });

  it('escapes names from disk and truncates long ones, keeping the full name in the tooltip', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toMatch(/<text class="name"[^>]*>4\. A catalog phase[^<]*…<\/text>/);
    expect(html).toMatch(/<title>4\. A catalog phase with a very long name that cannot fit in one box\n/);
  });

  it('marks the critical path by phase count without durations, and by recorded durations with them', () => {
    expect(html).toContain('critical path (by phase count)');
    expect([...html.matchAll(/<g class="phase critical" id="phase-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1, 3, 4, 5]);
    const timed = renderPlanHtml(plan, buildExecutionPlan(plan, 'x', 3, estimateDurations(plan, new Map([[1, 10], [2, 5000], [3, 10], [4, 10], [5, 10]]))));
    expect(timed).toContain('critical path (by recorded durations)');
    expect([...timed.matchAll(/<g class="phase critical" id="phase-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1, 2, 5]);
    expect(timed).toMatch(/<g class="edge critical from-2 to-5"/);
  });

  it('lists the contributors of shared files when there are any', () => {
    expect(html).not.toContain('Shared files');
    const merging = testPlan([[1, 'Setup', [], ['.gitignore']], [2, 'Cart', [1], ['.gitignore', 'src/cart.ts']], [3, 'Shop', [1], ['.gitignore']]], { merge: { '.gitignore': 'lines' } });
    expect(merging.addedEdges).toEqual([]);
    const shared = renderPlanHtml(merging, buildExecutionPlan(merging, 'x', 3, undefined), sharedFileContributors(merging));
    expect(shared).toContain('<tr class="shared-file"><td>.gitignore</td><td>lines</td><td>1. Setup, 2. Cart, 3. Shop</td></tr>');
  });
});

describe('layoutPlan', () => {
  const level = (n: number, size: number, first: number) => ({ level: n, phases: Array.from({ length: size }, (_, i) => ({ number: first + i, dependencies: [] })) });

  it('puts levels in columns and wraps a large level into more columns', () => {
    const layout = layoutPlan([level(1, 1, 1), level(2, MAX_ROWS_PER_COLUMN + 2, 2)]);
    const xs = new Set([...layout.boxes.values()].filter((b) => b.level === 2).map((b) => b.x));
    expect(xs.size).toBe(2);
    expect(layout.boxes.get(1)!.x).toBeLessThan(Math.min(...xs));
  });

  it('wraps levels into a new band below when a band is full', () => {
    const levels = Array.from({ length: MAX_COLUMNS_PER_BAND + 1 }, (_, i) => level(i + 1, 1, i + 1));
    const layout = layoutPlan(levels);
    const last = layout.boxes.get(MAX_COLUMNS_PER_BAND + 1)!;
    expect(last.x).toBe(layout.boxes.get(1)!.x);
    expect(last.y).toBeGreaterThan(layout.boxes.get(1)!.y);
    expect(layout.height).toBeGreaterThan(last.y);
  });

  it('keeps 200 phases within a bounded width', () => {
    const levels = Array.from({ length: 20 }, (_, i) => level(i + 1, 10, i * 10 + 1));
    const layout = layoutPlan(levels);
    expect(layout.boxes.size).toBe(200);
    expect(layout.width).toBeLessThan(1600);
  });
});
