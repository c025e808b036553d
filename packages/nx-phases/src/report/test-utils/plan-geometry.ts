/** A box in the plan drawing: a phase's box, or the stub where edges from phase `phase` enter a later band. */
export interface DrawnBox {
  phase: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge as drawn: the polyline from `from`'s box (or stub) to `to`'s box. */
export interface DrawnEdge {
  from: number;
  to: number;
  points: Array<{ x: number; y: number }>;
}

/** An edge that passes through the inside of a box it does not connect. */
export interface EdgeThroughBox {
  from: number;
  to: number;
  box: number;
}

/**
 * Every (edge, box) pair where a segment of the edge enters the box's interior (shrunk by `inset` px, so an edge
 * running along a border does not count) and the box belongs to neither end of the edge.
 */
export function edgesThroughBoxes(boxes: DrawnBox[], edges: DrawnEdge[], inset = 1): EdgeThroughBox[] {
  const found: EdgeThroughBox[] = [];
  for (const edge of edges) {
    for (const box of boxes) {
      if (box.phase === edge.from || box.phase === edge.to) continue;
      const inner = { x0: box.x + inset, y0: box.y + inset, x1: box.x + box.width - inset, y1: box.y + box.height - inset };
      const crosses = edge.points.slice(1).some((end, i) => segmentEntersRect(edge.points[i], end, inner));
      if (crosses) found.push({ from: edge.from, to: edge.to, box: box.phase });
    }
  }
  return found;
}

/** Liang–Barsky clipping: true when some part of segment a–b of positive length lies strictly inside the rectangle. */
function segmentEntersRect(a: { x: number; y: number }, b: { x: number; y: number }, r: { x0: number; y0: number; x1: number; y1: number }): boolean {
  if (r.x1 <= r.x0 || r.y1 <= r.y0) return false;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const clips: Array<[number, number]> = [[-dx, a.x - r.x0], [dx, r.x1 - a.x], [-dy, a.y - r.y0], [dy, r.y1 - a.y]];
  for (const [p, q] of clips) {
    if (p === 0) {
      if (q <= 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  return t1 - t0 > 1e-9;
}

/** The boxes and edges of a rendered `phase-plan.html`, read back from its SVG markup (phase boxes, stubs, edge paths). */
export function readPlanSvg(html: string): { boxes: DrawnBox[]; edges: DrawnEdge[]; width: number; height: number } {
  const svg = /<svg[^>]* id="plan" width="([\d.]+)" height="([\d.]+)"/.exec(html);
  if (!svg) throw new Error('no <svg id="plan"> in the page');
  const boxes = [...html.matchAll(/<g class="(?:phase|stub)[^"]*"[^>]* data-phase="(\d+)"[^>]*>(?:<title>[^<]*<\/title>)?<rect class="box" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)].map(
    (m) => ({ phase: Number(m[1]), x: Number(m[2]), y: Number(m[3]), width: Number(m[4]), height: Number(m[5]) }),
  );
  const edges = [...html.matchAll(/<g class="edge[^"]*" data-from="(\d+)" data-to="(\d+)">.*?<path class="line" d="([^"]+)"/g)].map((m) => ({
    from: Number(m[1]),
    to: Number(m[2]),
    points: pathPoints(m[3]),
  }));
  return { boxes, edges, width: Number(svg[1]), height: Number(svg[2]) };
}

/** The vertices of an `M x,y L x,y …` path; any other command is an error (the plan page draws polylines only). */
function pathPoints(d: string): Array<{ x: number; y: number }> {
  const tokens = d.trim().split(/\s+/);
  return tokens.map((token, i) => {
    const m = /^([ML])(-?[\d.]+),(-?[\d.]+)$/.exec(token);
    if (!m || (i === 0) !== (m[1] === 'M')) throw new Error(`unexpected path token "${token}" in d="${d}"`);
    return { x: Number(m[2]), y: Number(m[3]) };
  });
}
