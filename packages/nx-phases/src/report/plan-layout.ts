/** Geometry of the HTML plan view, in SVG pixels. */
export const PLAN_BOX = { width: 200, height: 92, columnGap: 52, rowGap: 14, headerHeight: 34, bandGap: 40, margin: 16 } as const;

/** At most this many boxes stack in one column; a larger level continues in a second column beside it. */
export const MAX_ROWS_PER_COLUMN = 10;

/** At most this many columns side by side; further levels wrap to a new band below. */
export const MAX_COLUMNS_PER_BAND = 6;

/** What the layout needs of one level: its number and its phases with their dependencies. */
export interface LayoutLevel {
  level: number;
  phases: Array<{ number: number; dependencies: number[] }>;
}

/** A placed phase box. */
export interface PlacedBox {
  number: number;
  level: number;
  x: number;
  y: number;
}

/** A level's header above its column(s). */
export interface PlacedLevel {
  level: number;
  x: number;
  y: number;
  /** Width of the level's columns together. */
  width: number;
  phaseCount: number;
}

/** The whole view: boxes, level headers and the drawing size. */
export interface PlanLayout {
  boxes: Map<number, PlacedBox>;
  levels: PlacedLevel[];
  width: number;
  height: number;
}

/**
 * Levels as columns, left to right. A level with more than `MAX_ROWS_PER_COLUMN` phases takes several columns;
 * when a band would exceed `MAX_COLUMNS_PER_BAND` columns the next level starts a new band below. Within a level,
 * phases are ordered by the mean row of their dependencies (fewer crossing edges), ties by number.
 */
export function layoutPlan(levels: LayoutLevel[]): PlanLayout {
  const boxes = new Map<number, PlacedBox>();
  const placedLevels: PlacedLevel[] = [];
  const rowOf = new Map<number, number>();
  const columnWidth = PLAN_BOX.width + PLAN_BOX.columnGap;
  const rowHeight = PLAN_BOX.height + PLAN_BOX.rowGap;
  let bandTop = PLAN_BOX.margin;
  let bandColumns = 0;
  let bandRows = 0;
  let width = 0;
  for (const level of levels) {
    const ordered = orderByDependencies(level.phases, rowOf);
    const columns = Math.max(1, Math.ceil(ordered.length / MAX_ROWS_PER_COLUMN));
    if (bandColumns > 0 && bandColumns + columns > MAX_COLUMNS_PER_BAND) {
      bandTop += PLAN_BOX.headerHeight + bandRows * rowHeight + PLAN_BOX.bandGap;
      [bandColumns, bandRows] = [0, 0];
    }
    const left = PLAN_BOX.margin + bandColumns * columnWidth;
    placedLevels.push({ level: level.level, x: left, y: bandTop, width: columns * columnWidth - PLAN_BOX.columnGap, phaseCount: ordered.length });
    ordered.forEach((phase, index) => {
      const column = Math.floor(index / MAX_ROWS_PER_COLUMN);
      const row = index % MAX_ROWS_PER_COLUMN;
      rowOf.set(phase.number, index);
      boxes.set(phase.number, { number: phase.number, level: level.level, x: left + column * columnWidth, y: bandTop + PLAN_BOX.headerHeight + row * rowHeight });
    });
    bandColumns += columns;
    bandRows = Math.max(bandRows, Math.min(ordered.length, MAX_ROWS_PER_COLUMN));
    width = Math.max(width, left + columns * columnWidth - PLAN_BOX.columnGap + PLAN_BOX.margin);
  }
  const height = bandTop + PLAN_BOX.headerHeight + bandRows * rowHeight - PLAN_BOX.rowGap + PLAN_BOX.margin;
  return { boxes, levels: placedLevels, width: Math.max(width, 2 * PLAN_BOX.margin), height: Math.max(height, 2 * PLAN_BOX.margin) };
}

function orderByDependencies<T extends { number: number; dependencies: number[] }>(phases: T[], rowOf: Map<number, number>): T[] {
  const weight = (phase: T) => {
    const rows = phase.dependencies.map((n) => rowOf.get(n)).filter((row): row is number => row !== undefined);
    return rows.length === 0 ? Number.MAX_SAFE_INTEGER : rows.reduce((a, b) => a + b, 0) / rows.length;
  };
  return [...phases].sort((a, b) => weight(a) - weight(b) || a.number - b.number);
}
