import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

/** Geometry of the HTML plan view, in SVG pixels. */
export const PLAN_BOX = { width: 176, height: 92, headerHeight: 34, bandGap: 40, margin: 16, stubWidth: 72, stubHeight: 26 } as const;

/** The widest drawing, in SVG pixels: levels that do not fit continue in a new band below (the demo's 6 levels fit). */
export const MAX_PLAN_WIDTH = 1340;

/** What the layout needs: the plan's levels (phase numbers, level 1 first) and the edges to draw. */
export interface LayoutInput {
  levels: Array<{ level: number; phases: number[] }>;
  /** `to` runs after `from`; `from`'s level is lower than `to`'s. */
  edges: Array<{ from: number; to: number }>;
}

/** A point in SVG pixels. */
export interface Point {
  x: number;
  y: number;
}

/** A placed phase box (`PLAN_BOX.width` × `PLAN_BOX.height`). */
export interface PlacedBox {
  number: number;
  level: number;
  x: number;
  y: number;
}

/** Where edges from a phase in an earlier band enter a band: a small "from N" box at the band's left. */
export interface PlacedStub {
  phase: number;
  band: number;
  x: number;
  y: number;
}

/** An edge as drawn: an orthogonal polyline from the source's box (or its stub) to the target's box. */
export interface RoutedEdge {
  from: number;
  to: number;
  /** True when the edge starts at a stub because `from` sits in an earlier band. */
  fromStub: boolean;
  points: Point[];
}

/** A level's header above its column. */
export interface PlacedLevel {
  level: number;
  x: number;
  y: number;
  width: number;
  phaseCount: number;
}

/** The whole view: boxes, stubs, routed edges, level headers and the drawing size. */
export interface PlanLayout {
  boxes: Map<number, PlacedBox>;
  stubs: PlacedStub[];
  edges: RoutedEdge[];
  levels: PlacedLevel[];
  width: number;
  height: number;
}

/** ELK's layered algorithm: levels as layers left to right, orthogonal edges routed between boxes, never through one. */
const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Layer = longest path from a source: exactly the plan's level (the edges drawn keep every longest path).
  'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // One graph, not components packed side by side: a phase with no edge in its band stays in its level's column.
  'elk.separateConnectedComponents': 'false',
  'elk.spacing.nodeNode': '14',
  'elk.spacing.edgeNode': '10',
  'elk.spacing.edgeEdge': '6',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.spacing.edgeNodeBetweenLayers': '10',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '6',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
};

type ElkLayout = (graph: ElkNode) => Promise<ElkNode>;

let elkLayout: ElkLayout | undefined;

/** elkjs's worker-less build, loaded on first use (1.6 MB: only the plan page needs it). */
async function elk(): Promise<ElkLayout> {
  if (!elkLayout) {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    const instance = new ELK();
    elkLayout = (graph) => instance.layout(graph);
  }
  return elkLayout;
}

/**
 * Lays the plan out with elkjs: each level is a layer (a column of boxes), edges are routed orthogonally in the
 * gaps. Levels go left to right while the band fits in `maxWidth`; the next level starts a new band below, where
 * edges from earlier bands enter through a "from N" stub. A level too wide for `maxWidth` even alone (its stub column
 * and gap hold a vertical run per earlier phase entering it) is drawn whole: the width then covers it and the page
 * scrolls. Deterministic for the same input.
 */
export async function layoutPlan(input: LayoutInput, maxWidth = MAX_PLAN_WIDTH): Promise<PlanLayout> {
  const layout = await elk();
  const result: PlanLayout = { boxes: new Map(), stubs: [], edges: [], levels: [], width: 2 * PLAN_BOX.margin, height: 2 * PLAN_BOX.margin };
  const maxInnerWidth = maxWidth - 2 * PLAN_BOX.margin;
  const gap = Number(ELK_OPTIONS['elk.layered.spacing.nodeNodeBetweenLayers']);
  // How many level columns fit, at the narrowest gap; a later band also holds a column of stubs.
  const fits = (width: number) => Math.max(1, Math.floor((width + gap) / (PLAN_BOX.width + gap)));
  let bandTop = PLAN_BOX.margin;
  let band = 0;
  for (let start = 0; start < input.levels.length; band++) {
    let count = Math.min(fits(band === 0 ? maxInnerWidth : maxInnerWidth - PLAN_BOX.stubWidth - gap), input.levels.length - start);
    let placed = await layoutBand(layout, input, start, count, band);
    while (placed.width > maxInnerWidth && count > 1) {
      // One level fewer, and lay out again: a level left out takes its edges' routes with it, so the levels before it
      // may now fit in less width than this layout gave them (long edges to it widen their gaps).
      count -= 1;
      placed = await layoutBand(layout, input, start, count, band);
    }
    place(result, placed, PLAN_BOX.margin, bandTop);
    result.width = Math.max(result.width, placed.width + 2 * PLAN_BOX.margin);
    bandTop += PLAN_BOX.headerHeight + placed.height + PLAN_BOX.bandGap;
    start += count;
  }
  result.height = Math.max(result.height, bandTop - PLAN_BOX.bandGap + PLAN_BOX.margin);
  return result;
}

/** One band laid out at the origin, its boxes below a header row. */
interface PlacedBand extends Omit<PlanLayout, 'boxes'> {
  boxes: PlacedBox[];
}

async function layoutBand(layout: ElkLayout, input: LayoutInput, start: number, count: number, band: number): Promise<PlacedBand> {
  const levels = input.levels.slice(start, start + count);
  const levelOf = new Map(input.levels.flatMap((level) => level.phases.map((phase) => [phase, level.level] as const)));
  const first = levels[0].level;
  const last = levels[levels.length - 1].level;
  const inBand = (phase: number) => levelOf.get(phase)! >= first && levelOf.get(phase)! <= last;
  const edges = input.edges.filter((edge) => inBand(edge.to) && levelOf.get(edge.from)! <= last);
  const stubPhases = [...new Set(edges.filter((edge) => !inBand(edge.from)).map((edge) => edge.from))].sort((a, b) => a - b);
  const graph: ElkNode = {
    id: 'band',
    layoutOptions: ELK_OPTIONS,
    children: [
      // A stub's edges leave through one port, so elkjs routes them as one hyperedge: one vertical run per stub in the
      // gap after the stub column, not one per edge (a level entered from ten phases by 100 edges was 744 px wide).
      // elkjs puts a port with only outgoing edges on the right side (direction RIGHT); the specs check edges start there.
      ...stubPhases.map((phase) => ({ id: `s${phase}`, width: PLAN_BOX.stubWidth, height: PLAN_BOX.stubHeight, ports: [{ id: `s${phase}.out` }] })),
      ...levels.flatMap((level) => level.phases.map((phase) => ({ id: `p${phase}`, width: PLAN_BOX.width, height: PLAN_BOX.height }))),
    ],
    // A fresh array literal: elkjs reads only `instanceof Array` values, and `.map` keeps the species of an array
    // made in another realm (a plan parsed outside Jest's sandbox), which elkjs would silently treat as no edges.
    edges: [...edges.map((edge): ElkExtendedEdge => ({ id: `${edge.from}-${edge.to}`, sources: [inBand(edge.from) ? `p${edge.from}` : `s${edge.from}.out`], targets: [`p${edge.to}`] }))],
  };
  const laid = await layout(graph);
  const node = new Map((laid.children ?? []).map((child) => [child.id, child]));
  const boxes = levels.flatMap((level) => level.phases.map((phase) => ({ number: phase, level: level.level, x: node.get(`p${phase}`)!.x!, y: node.get(`p${phase}`)!.y! })));
  const placedLevels = levels.map((level) => {
    const xs = boxes.filter((box) => box.level === level.level).map((box) => box.x);
    const x = Math.min(...xs);
    return { level: level.level, x, y: 0, width: Math.max(...xs) + PLAN_BOX.width - x, phaseCount: level.phases.length };
  });
  return {
    boxes,
    stubs: stubPhases.map((phase) => ({ phase, band, x: node.get(`s${phase}`)!.x!, y: node.get(`s${phase}`)!.y! })),
    edges: (laid.edges ?? []).map((edge) => {
      const [from, to] = edge.id.split('-').map(Number);
      const section = edge.sections?.[0];
      if (!section) throw new Error(`elkjs did not route the edge ${edge.id}`);
      return { from, to, fromStub: !inBand(from), points: [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(({ x, y }) => ({ x, y })) };
    }),
    levels: placedLevels,
    width: laid.width ?? 0,
    height: laid.height ?? 0,
  };
}

/** Adds a band to the layout, its header row at `top` and its boxes below it. */
function place(layout: PlanLayout, band: PlacedBand, left: number, top: number): void {
  const dy = top + PLAN_BOX.headerHeight;
  for (const box of band.boxes) layout.boxes.set(box.number, { ...box, x: box.x + left, y: box.y + dy });
  for (const stub of band.stubs) layout.stubs.push({ ...stub, x: stub.x + left, y: stub.y + dy });
  for (const edge of band.edges) layout.edges.push({ ...edge, points: edge.points.map((p) => ({ x: p.x + left, y: p.y + dy })) });
  for (const level of band.levels) layout.levels.push({ ...level, x: level.x + left, y: top });
}
