import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan, reduceDependencies, resolveConflicts } from '../plan';
import { mulberry32 } from '../plan/test-utils/prng';
import { randomPlanDocument } from '../plan/test-utils/random-plan';
import { testPlan } from '../test-utils/report-plan';
import { estimateDurations } from './durations';
import { buildExecutionPlan } from './execution-plan';
import { layoutPlan, MAX_PLAN_WIDTH, PLAN_BOX } from './plan-layout';
import { renderPlanHtml } from './render-plan-html';
import { sharedFileContributors } from './shared-files';
import { edgesThroughBoxes, readPlanSvg } from './test-utils/plan-geometry';

const plan = testPlan([
  [1, 'Setup', [], ['src/App.tsx']],
  [2, 'Database', [1], ['src/db.ts']],
  [3, 'Auth <script>alert(1)</script>', [1], ['src/auth.ts', 'src/nav.ts']],
  [4, 'A catalog phase with a very long name that cannot fit in one box', [1], ['src/catalog.ts', 'src/nav.ts']],
  [5, 'Polish', [2, 3, 4], ['src/App.tsx']],
]);
/** elkjs lays out a 200-phase plan in about 20 calls of 50–400 ms each on this loaded 2-core machine. */
const LAYOUT_TIMEOUT = 120_000;
const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;
const render = (p: typeof plan) => renderPlanHtml(p, buildExecutionPlan(p, 'x', 3, undefined));
const demoPlan = resolveConflicts(parsePlan(readFileSync(join(__dirname, '../../../demo-shop/phases.json'), 'utf8'), 'packages/demo-shop/phases.json'));
const randomPlan = (seed: number, phases: number) => resolveConflicts(parsePlan(JSON.stringify(randomPlanDocument(mulberry32(seed), phases)), 'random/phases.json'));
/** Each phase box's level and position. */
const columnsOf = (html: string) => [...html.matchAll(/<g class="phase[^"]*" id="phase-\d+" data-phase="\d+" data-level="(\d+)"><title>[^<]*<\/title><rect class="box" x="([\d.]+)" y="([\d.]+)"/g)].map((m) => ({ level: Number(m[1]), x: Number(m[2]), y: Number(m[3]) }));
/** Boxes that do not sit in their own level's column, below its header: [phase level, header x, box x]. */
const outOfColumn = (html: string) => {
  const headers = new Map([...html.matchAll(/<g class="level-header" data-level="(\d+)"><rect x="([\d.]+)" y="([\d.]+)"/g)].map((m) => [Number(m[1]), { x: Number(m[2]), y: Number(m[3]) }]));
  const nextBandTop = (y: number) => Math.min(...[...headers.values()].map((h) => h.y).filter((top) => top > y), Infinity);
  return columnsOf(html)
    .filter((box) => {
      const header = headers.get(box.level)!;
      return box.x !== header.x || box.y < header.y || box.y > nextBandTop(header.y);
    })
    .map((box) => [box.level, headers.get(box.level)?.x, box.x]);
};

describe('renderPlanHtml', () => {
  let html: string;
  beforeAll(async () => {
    html = await renderPlanHtml(plan, buildExecutionPlan(plan, 'apps/shop/phases.json', 3, undefined));
  });

  it('is one self-contained page: no script, no external reference, fetches forbidden', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('draws one box per phase and only the transitive reduction, the conflict fix dashed with its reason, implied edges listed', () => {
    expect(count(html, /<g class="phase[ "]/g)).toBe(5);
    const drawn = [...html.matchAll(/<g class="edge[^"]*" data-from="(\d+)" data-to="(\d+)"/g)].map((m) => `${m[1]}->${m[2]}`).sort();
    expect(drawn).toEqual(['1->2', '1->3', '2->5', '3->4', '4->5']);
    const fix = html.match(/<g class="edge conflict-fix[^>]*data-from="3" data-to="4"><title>([^<]*)<\/title>/);
    expect(fix?.[1]).toBe(escapeForTest(plan.addedEdges[0].reason));
    expect(plan.addedEdges[0].reason).toContain('src/nav.ts');
    expect(count(html, /class="edge conflict-fix/g)).toBe(1);
    expect(html).toContain('<tr class="conflict-fix"><td>4 now runs after 3</td><td>src/nav.ts</td>');
    const implied = [...html.matchAll(/<tr class="implied" data-from="(\d+)" data-to="(\d+)"><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => m.slice(1).join(' | '));
    expect(implied).toEqual([
      '1 | 4 | 4. A catalog phase with a very long name that cannot fit in one box | 1. Setup | 3. Auth &lt;script&gt;alert(1)&lt;/script&gt;',
      '3 | 5 | 5. Polish | 3. Auth &lt;script&gt;alert(1)&lt;/script&gt; | 4. A catalog phase with a very long name that cannot fit in one box',
    ]);
    expect(html).toContain('5 dependency edges drawn, 1 added by conflict resolution · 2 implied dependencies listed below, not drawn');
  });

  it('keeps drawing a conflict fix that a later fix made implied, and does not list it as implied', async () => {
    const random = randomPlan(3, 8);
    const fix = random.addedEdges.find((edge) => edge.from === 1 && edge.to === 11)!;
    expect(reduceDependencies(random).implied).toContainEqual(expect.objectContaining({ from: 1, to: 11 }));
    const page = await render(random);
    expect(page).toMatch(/<g class="edge conflict-fix[^"]*" data-from="1" data-to="11"><title>/);
    expect(page).toContain(`<title>${escapeForTest(fix.reason)}</title>`);
    expect(page).not.toContain('<tr class="implied" data-from="1" data-to="11">');
  });

  it('escapes names from disk and truncates long ones, keeping the full name in the tooltip', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toMatch(/<text class="name"[^>]*>4\. A catalog phase[^<]*…<\/text>/);
    expect(html).toMatch(/<title>4\. A catalog phase with a very long name that cannot fit in one box\n/);
  });

  it('marks the critical path by phase count without durations, and by recorded durations with them', async () => {
    expect(html).toContain('critical path (by phase count)');
    expect([...html.matchAll(/<g class="phase critical" id="phase-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1, 3, 4, 5]);
    const timed = await renderPlanHtml(plan, buildExecutionPlan(plan, 'x', 3, estimateDurations(plan, new Map([[1, 10], [2, 5000], [3, 10], [4, 10], [5, 10]]))));
    expect(timed).toContain('critical path (by recorded durations)');
    expect([...timed.matchAll(/<g class="phase critical" id="phase-(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1, 2, 5]);
    expect(timed).toMatch(/<g class="edge critical from-2 to-5"/);
  });

  it('lists the contributors of shared files when there are any', async () => {
    expect(html).not.toContain('Shared files');
    const merging = testPlan([[1, 'Setup', [], ['.gitignore']], [2, 'Cart', [1], ['.gitignore', 'src/cart.ts']], [3, 'Shop', [1], ['.gitignore']]], { merge: { '.gitignore': 'lines' } });
    expect(merging.addedEdges).toEqual([]);
    const shared = await renderPlanHtml(merging, buildExecutionPlan(merging, 'x', 3, undefined), sharedFileContributors(merging));
    expect(shared).toContain('<tr class="shared-file"><td>.gitignore</td><td>lines</td><td>1. Setup, 2. Cart, 3. Shop</td></tr>');
  });
});

describe('plan page geometry', () => {
  it('the check finds an edge drawn straight through a box it does not connect, and ignores boxes at its ends', () => {
    const box = (phase: number, x: number, y: number) => ({ phase, x, y, width: 100, height: 50 });
    const boxes = [box(1, 0, 0), box(2, 150, 0), box(3, 300, 0), box(4, 150, 100)];
    const straight = { from: 1, to: 3, points: [{ x: 100, y: 25 }, { x: 300, y: 25 }] };
    const around = { from: 1, to: 3, points: [{ x: 100, y: 25 }, { x: 125, y: 25 }, { x: 125, y: 75 }, { x: 275, y: 75 }, { x: 275, y: 25 }, { x: 300, y: 25 }] };
    const alongBorder = { from: 1, to: 3, points: [{ x: 100, y: 50 }, { x: 300, y: 50 }] };
    expect(edgesThroughBoxes(boxes, [straight, around, alongBorder])).toEqual([{ from: 1, to: 3, box: 2 }]);
  });

  it('demo plan: no edge crosses a box it does not connect; levels are columns left to right; it fits MAX_PLAN_WIDTH', async () => {
    const html = await render(demoPlan);
    const { boxes, edges, width } = readPlanSvg(html);
    expect(boxes).toHaveLength(14);
    expect(edges.map((edge) => `${edge.from}->${edge.to}`).sort()).toEqual(
      ['1->2', '1->3', '1->11', '2->4', '2->5', '2->6', '2->12', '3->7', '3->8', '3->9', '2->10', '3->10', '4->9', '6->7', '4->13', '7->13', '12->13', '5->14', '8->14', '9->14', '10->14', '11->14', '13->14'].sort(),
    );
    expect(edgesThroughBoxes(boxes, edges)).toEqual([]);
    expect(width).toBeLessThanOrEqual(MAX_PLAN_WIDTH);
    expect(outOfColumn(html)).toEqual([]);
    const columns = columnsOf(html);
    for (let level = 1; level <= 6; level++) expect(new Set(columns.filter((c) => c.level === level).map((c) => c.x)).size).toBe(1);
    const xOf = (level: number) => columns.find((c) => c.level === level)!.x;
    for (let level = 2; level <= 6; level++) expect(xOf(level)).toBeGreaterThanOrEqual(xOf(level - 1) + PLAN_BOX.width);
    for (const edge of edges) {
      const [start, end] = [edge.points[0], edge.points[edge.points.length - 1]];
      const source = boxes.find((b) => b.phase === edge.from)!;
      const target = boxes.find((b) => b.phase === edge.to)!;
      expect(start.x).toBeCloseTo(source.x + source.width, 0);
      expect(end.x).toBeCloseTo(target.x, 0);
    }
  });

  it.each([1, 2, 3])('random 50-phase plan %i: no edge crosses a box it does not connect', async (seed) => {
    const random = randomPlan(seed, 50);
    const html = await render(random);
    const { boxes, edges, width } = readPlanSvg(html);
    expect(boxes.length).toBeGreaterThanOrEqual(50);
    expect(edges.length).toBeGreaterThan(30);
    expect(edgesThroughBoxes(boxes, edges)).toEqual([]);
    expect(width).toBeLessThanOrEqual(MAX_PLAN_WIDTH);
    expect(outOfColumn(html)).toEqual([]);
  }, LAYOUT_TIMEOUT);

  it('200 phases: bounded width, levels continue in bands below, edges from an earlier band start at a "from N" stub', async () => {
    const big = randomPlan(7, 200);
    const html = await render(big);
    const { boxes, edges, width, height } = readPlanSvg(html);
    expect(boxes.filter((box) => box.width === PLAN_BOX.width)).toHaveLength(200);
    expect(width).toBeLessThanOrEqual(MAX_PLAN_WIDTH);
    expect(edgesThroughBoxes(boxes, edges)).toEqual([]);
    expect(outOfColumn(html)).toEqual([]);
    const stubs = [...html.matchAll(/<g class="stub" data-phase="(\d+)" data-band="(\d+)">/g)];
    expect(stubs.length).toBeGreaterThan(0);
    expect(count(html, /class="edge[^"]* from-stub/g)).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(2 * (PLAN_BOX.headerHeight + PLAN_BOX.height));
  }, LAYOUT_TIMEOUT);

  it('lays a level out as one column even when it is the only level', async () => {
    const layout = await layoutPlan({ levels: [{ level: 1, phases: [1, 2, 3] }], edges: [] });
    expect(new Set([...layout.boxes.values()].map((b) => b.x)).size).toBe(1);
    expect(layout.levels).toEqual([{ level: 1, x: PLAN_BOX.margin, y: PLAN_BOX.margin, width: PLAN_BOX.width, phaseCount: 3 }]);
  });
});

function escapeForTest(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
