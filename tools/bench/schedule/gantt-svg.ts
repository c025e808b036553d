/** One bar of the chart: a phase task as it ran. */
export interface GanttBar {
  number: number;
  name: string;
  level: number;
  startMs: number;
  durationMs: number;
}

/** A labelled vertical line, e.g. the lower bound or the level-barrier makespan. */
export interface GanttMarker {
  label: string;
  ms: number;
}

/** What to draw. */
export interface GanttChart {
  title: string;
  subtitle: string;
  bars: GanttBar[];
  markers: GanttMarker[];
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#86bcb6', '#d37295'];
const LABEL_WIDTH = 190;
const CHART_WIDTH = 820;
const ROW = 16;
const TOP = 64;

/** An SVG Gantt chart: one row per phase (sorted by level, then start), bars coloured by level, a time axis and markers. */
export function renderGanttSvg(chart: GanttChart): string {
  const bars = [...chart.bars].sort((a, b) => a.level - b.level || a.startMs - b.startMs || a.number - b.number);
  const endMs = Math.max(1, ...bars.map((bar) => bar.startMs + bar.durationMs), ...chart.markers.map((m) => m.ms));
  const x = (ms: number) => LABEL_WIDTH + (ms / endMs) * CHART_WIDTH;
  const levels = [...new Set(bars.map((bar) => bar.level))].sort((a, b) => a - b);
  const rowsBottom = TOP + bars.length * ROW;
  const height = rowsBottom + 20 + chart.markers.length * 13 + 30;
  const width = LABEL_WIDTH + CHART_WIDTH + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<text x="10" y="38" fill="#555">${escapeXml(chart.subtitle)}</text>`,
    ...axis(endMs, x, TOP, bars.length * ROW),
    ...bars.flatMap((bar, row) => barElements(bar, TOP + row * ROW, x)),
    ...chart.markers.flatMap((marker, index) => markerElements(marker, x(marker.ms), TOP, bars.length * ROW, index)),
    ...legend(levels, rowsBottom + 20 + chart.markers.length * 13 + 12),
    '</svg>',
    '',
  ].join('\n');
}

function axis(endMs: number, x: (ms: number) => number, top: number, rowsHeight: number): string[] {
  const step = tickStep(endMs);
  const ticks: string[] = [];
  for (let ms = 0; ms <= endMs; ms += step) {
    ticks.push(
      `<line x1="${x(ms).toFixed(1)}" y1="${top - 4}" x2="${x(ms).toFixed(1)}" y2="${top + rowsHeight}" stroke="#e4e4e4"/>`,
      `<text x="${x(ms).toFixed(1)}" y="${top - 8}" text-anchor="middle" fill="#555">${ms / 1000} s</text>`,
    );
  }
  return ticks;
}

/** 1, 2 or 5 times a power of ten seconds, giving at most 12 ticks. */
function tickStep(endMs: number): number {
  for (let power = 100; ; power *= 10) {
    for (const factor of [1, 2, 5]) if (endMs / (factor * power) <= 12) return factor * power;
  }
}

function barElements(bar: GanttBar, y: number, x: (ms: number) => number): string[] {
  const left = x(bar.startMs);
  const barWidth = Math.max(1, x(bar.startMs + bar.durationMs) - left);
  const label = `${bar.number}. ${bar.name}`;
  return [
    `<text x="${LABEL_WIDTH - 6}" y="${y + 11}" text-anchor="end">${escapeXml(label.length > 30 ? `${label.slice(0, 29)}…` : label)}</text>`,
    `<rect x="${left.toFixed(1)}" y="${y + 2}" width="${barWidth.toFixed(1)}" height="${ROW - 4}" rx="2" fill="${levelColour(bar.level)}"><title>${escapeXml(`${label}: level ${bar.level}, ${(bar.startMs / 1000).toFixed(2)}–${((bar.startMs + bar.durationMs) / 1000).toFixed(2)} s`)}</title></rect>`,
  ];
}

function markerElements(marker: GanttMarker, at: number, top: number, rowsHeight: number, index: number): string[] {
  return [
    `<line x1="${at.toFixed(1)}" y1="${top - 2}" x2="${at.toFixed(1)}" y2="${top + rowsHeight}" stroke="#222" stroke-dasharray="4 3"/>`,
    `<text x="${(at - 4).toFixed(1)}" y="${top + rowsHeight + 14 + index * 13}" text-anchor="end" fill="#222">${escapeXml(marker.label)}</text>`,
  ];
}

function legend(levels: number[], y: number): string[] {
  return levels.flatMap((level, index) => {
    const left = 10 + index * 62;
    return [
      `<rect x="${left}" y="${y - 9}" width="12" height="10" fill="${levelColour(level)}"/>`,
      `<text x="${left + 16}" y="${y}">level ${level}</text>`,
    ];
  });
}

/** The colour of a level (the palette repeats after 12 levels). */
function levelColour(level: number): string {
  return PALETTE[(level - 1) % PALETTE.length];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
