import { formatDuration } from './format-duration';
import { charsThatFit, escapeHtml, htmlPage, truncate } from './html';
import type { PhaseRunEntry, PhaseRunStatus, PlanRunReport } from './run-report';
import { counted } from '../runtime/counted';
import type { AttemptSegment } from '../runtime/pipeline/state';
import { qualityText } from './render-quality';
import { allFromCache, allFromCacheText, runCostText, speedUpLines } from './render-run-summary';
import { formatUsd, unknownCostReason, type PhaseCost } from '../cost';

/** Colour of each status's bar (also used by the legend). */
export const STATUS_COLOURS: Record<PhaseRunStatus, string> = {
  ran: '#2563eb',
  'cache hit': '#10b981',
  failed: '#dc2626',
  skipped: '#9ca3af',
};

/** Fill of each attempt segment drawn inside a bar (also used by the legend). */
export const SEGMENT_COLOURS: Record<AttemptSegment['kind'], string> = {
  generate: '#93c5fd',
  check: '#c4b5fd',
  repair: '#fdba74',
};

const GANTT = { labelWidth: 250, chartWidth: 900, rowHeight: 26, barHeight: 16, axisHeight: 28, margin: 12 } as const;
const TICK_STEPS_S = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

const CSS = `
.gantt .row-bg { fill: #fff; }
.gantt .row-bg.even { fill: #f9fafb; }
.gantt .level-band { fill: #eef2ff; }
.gantt text.label { font-size: 12px; fill: #111827; }
.gantt text.level { font-size: 11px; fill: #4b5563; font-weight: 600; }
.gantt text.tick { font-size: 11px; fill: #6b7280; }
.gantt line.tick { stroke: #e5e7eb; }
.gantt rect.bar { stroke: none; }
.gantt .bar-group.critical rect.bar { stroke: #111827; stroke-width: 2.5; }
.gantt text.critical-mark { font-size: 12px; fill: #111827; font-weight: 700; }
.gantt line.critical-link { fill: none; stroke: #111827; stroke-width: 1.5; stroke-dasharray: 4 3; }
.gantt text.skipped { font-size: 11px; fill: #6b7280; font-style: italic; }
.gantt .bar-group:hover rect.bar { opacity: 0.85; }
.gantt rect.segment { stroke: #1f2937; stroke-width: 0.5; }
`;

/**
 * `.nx/nx-phases/last-run.html`: one self-contained page per run (inline SVG and CSS, no script). Per plan, a
 * Gantt chart on a time axis (one bar per phase, rows ordered by level then number so runs at different
 * `--parallel` compare row by row; colour by status; rate-limit waits and retries hatched inside the bars; the
 * critical path outlined, marked ◆ and linked; a checked phase's attempts (generate, check, repair) drawn as
 * segments of its bar at their recorded times), the metrics table and the cost of each phase that made calls.
 */
export function renderRunHtml(plans: PlanRunReport[], reportFile: string, endTime: number): string {
  const body = [
    '<h1>nx-phases run report</h1>',
    `<p class="meta">Finished ${escapeHtml(new Date(endTime).toISOString())} · ${counted(plans.length, 'plan')} · data: ${escapeHtml(reportFile)}</p>`,
    legend(),
    ...plans.map(planSection),
  ].join('\n');
  return htmlPage('nx-phases run report', CSS, body);
}

function legend(): string {
  const status = (Object.keys(STATUS_COLOURS) as PhaseRunStatus[]).map(
    (key) => `<span><span class="swatch" style="background:${STATUS_COLOURS[key]}"></span>${key}</span>`,
  );
  return `<div class="legend">${status.join('')}<span><span class="swatch" style="background:repeating-linear-gradient(45deg,#f59e0b 0 3px,#fff 3px 6px)"></span>waiting for a rate-limit slot</span><span><span class="swatch" style="background:repeating-linear-gradient(-45deg,#7f1d1d 0 3px,#fff 3px 6px)"></span>retry (failed attempt and backoff)</span>${segmentLegend()}<span><span class="swatch" style="border:2.5px solid #111827;box-sizing:border-box"></span>◆ critical path</span></div>`;
}

function segmentLegend(): string {
  const names: Record<AttemptSegment['kind'], string> = { generate: 'generate (attempt 1)', check: 'check', repair: 'repair (a later attempt)' };
  return (Object.keys(SEGMENT_COLOURS) as Array<AttemptSegment['kind']>)
    .map((kind) => `<span><span class="swatch" style="background:${SEGMENT_COLOURS[kind]}"></span>${names[kind]}</span>`)
    .join('');
}

function planSection(report: PlanRunReport): string {
  return [
    `<section class="plan" data-plan="${escapeHtml(report.plan)}">`,
    `<h2>${escapeHtml(report.plan)} <span class="meta">(${escapeHtml(report.planFile)}, --parallel=${report.parallel})</span></h2>`,
    `<div class="scroll">${ganttSvg(report)}</div>`,
    metricsTable(report),
    costTable(report),
    '</section>',
  ].join('\n');
}

function ganttSvg(report: PlanRunReport): string {
  const rows = [...report.phases].sort((a, b) => a.level - b.level || a.number - b.number);
  const spanMs = Math.max(report.makespanMs, ...rows.map((p) => p.startOffsetMs + p.durationMs), 1);
  const x = (ms: number) => GANTT.labelWidth + (ms / spanMs) * GANTT.chartWidth;
  const width = GANTT.labelWidth + GANTT.chartWidth + GANTT.margin * 2;
  const height = GANTT.axisHeight + rows.length * GANTT.rowHeight + GANTT.margin;
  const rowY = (index: number) => GANTT.axisHeight + index * GANTT.rowHeight;
  const critical = new Set(report.criticalPath.phases);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`Gantt chart of ${report.plan}`)}">`,
    '<defs>',
    '<pattern id="hatch-rate-limit" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fef3c7"/><rect width="3" height="6" fill="#f59e0b"/></pattern>',
    '<pattern id="hatch-retry" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#fee2e2"/><rect width="3" height="6" fill="#7f1d1d"/></pattern>',
    '</defs>',
    ...rows.map((phase, index) => `<rect class="row-bg${index % 2 === 0 ? ' even' : ''}" x="0" y="${rowY(index)}" width="${width}" height="${GANTT.rowHeight}"/>`),
    ...axis(spanMs, x, height),
    ...rows.map((phase, index) => rowSvg(phase, rowY(index), x, critical.has(phase.number))),
    criticalLinks(report, rows, x, rowY),
    '</svg>',
  ];
  return parts.join('\n');
}

function axis(spanMs: number, x: (ms: number) => number, height: number): string[] {
  const stepS = TICK_STEPS_S.find((step) => (spanMs / 1000) / step <= 10) ?? TICK_STEPS_S[TICK_STEPS_S.length - 1];
  const ticks: string[] = [];
  for (let s = 0; s * 1000 <= spanMs + 1e-6; s += stepS) {
    const px = x(s * 1000);
    ticks.push(`<line class="tick" x1="${px}" y1="${GANTT.axisHeight - 6}" x2="${px}" y2="${height - GANTT.margin}"/>`);
    ticks.push(`<text class="tick" x="${px + 2}" y="${GANTT.axisHeight - 10}">${escapeHtml(formatDuration(Math.round(s * 1000)))}</text>`);
  }
  return ticks;
}

function rowSvg(phase: PhaseRunEntry, y: number, x: (ms: number) => number, critical: boolean): string {
  const label = truncate(`${phase.number}. ${phase.name}`, charsThatFit(GANTT.labelWidth - 50, 12));
  const barY = y + (GANTT.rowHeight - GANTT.barHeight) / 2;
  const statusClass = `status-${phase.status.replace(' ', '-')}`;
  const title = `${phase.number}. ${phase.name} (level ${phase.level}): ${phase.status}, ${formatDuration(phase.durationMs)} from ${formatDuration(phase.startOffsetMs)}${costSummary(phase)}${waitSummary(phase)}${attemptSummary(phase)}${critical ? '; on the critical path' : ''}`;
  const start = x(phase.startOffsetMs);
  const barWidth = Math.max(3, x(phase.startOffsetMs + phase.durationMs) - start);
  const bar =
    phase.status === 'skipped'
      ? `<rect class="bar ${statusClass}" x="${start}" y="${barY}" width="6" height="${GANTT.barHeight}" fill="none" stroke="${STATUS_COLOURS.skipped}" stroke-dasharray="2 2"/><text class="skipped" x="${start + 10}" y="${barY + 12}">skipped</text>`
      : `<rect class="bar ${statusClass}" x="${start}" y="${barY}" width="${barWidth}" height="${GANTT.barHeight}" rx="2" fill="${STATUS_COLOURS[phase.status]}"/>`;
  const segments = (phase.segments ?? []).map((segment) => {
    const from = x(phase.startOffsetMs + segment.fromMs);
    const to = x(phase.startOffsetMs + segment.toMs);
    const what = `attempt ${segment.attempt}: ${segment.kind}`;
    return `<rect class="segment ${segment.kind}" data-attempt="${segment.attempt}" data-from-ms="${segment.fromMs}" data-to-ms="${segment.toMs}" x="${from}" y="${barY + 3}" width="${Math.max(1, to - from)}" height="${GANTT.barHeight - 6}" fill="${SEGMENT_COLOURS[segment.kind]}"><title>${escapeHtml(`${what}, ${formatDuration(segment.toMs - segment.fromMs)}`)}</title></rect>`;
  });
  const waits = (phase.waits ?? []).map((wait) => {
    const from = x(phase.startOffsetMs + wait.fromMs);
    const to = x(phase.startOffsetMs + wait.toMs);
    return `<rect class="wait ${wait.kind}" x="${from}" y="${barY + 2}" width="${Math.max(1, to - from)}" height="${GANTT.barHeight - 4}" fill="url(#hatch-${wait.kind})"><title>${wait.kind === 'retry' ? 'retry (failed attempt and backoff)' : 'waiting for a rate-limit slot'}: ${escapeHtml(formatDuration(wait.toMs - wait.fromMs))}</title></rect>`;
  });
  const mark = critical ? `<text class="critical-mark" x="${start + barWidth + 4}" y="${barY + 12}">◆</text>` : '';
  return [
    `<g class="bar-group ${statusClass}${critical ? ' critical' : ''}" data-phase="${phase.number}" data-level="${phase.level}" data-status="${escapeHtml(phase.status)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<text class="level" x="${GANTT.margin}" y="${y + 17}">L${phase.level}</text>`,
    `<text class="label" x="${GANTT.margin + 34}" y="${y + 17}">${escapeHtml(label)}</text>`,
    bar,
    ...segments,
    ...waits,
    mark,
    '</g>',
  ].join('');
}

function attemptSummary(phase: PhaseRunEntry): string {
  if (phase.attempts === undefined) return '';
  const repairs = phase.attempts - 1;
  const last = phase.lastDiagnostics?.[0];
  return `; ${counted(phase.attempts, 'attempt')} (${counted(repairs, 'repair')})${last ? `; last check: ${last}` : ''}`;
}

/** `; cost $0.0012` (`; saved $0.0012` for a cache hit); nothing for a phase without calls. */
function costSummary(phase: PhaseRunEntry): string {
  if (!phase.usage || phase.usage.calls === 0) return '';
  const amount = costText(phase.cost);
  return `; ${phase.status === 'cache hit' ? 'saved' : 'cost'} ${amount}`;
}

/** A phase's cost, or why it is unknown: no price, or a call that got no answer (its usage was never reported). */
function costText(cost: PhaseCost | undefined): string {
  if (cost && cost.usd !== null) return formatUsd(cost.usd);
  return unknownCostReason(cost) === 'no answer' ? 'unknown (a call got no answer: usage never reported)' : 'unknown (no price)';
}

function waitSummary(phase: PhaseRunEntry): string {
  const total = (kind: 'rate-limit' | 'retry') => (phase.waits ?? []).filter((w) => w.kind === kind).reduce((sum, w) => sum + w.toMs - w.fromMs, 0);
  const parts = [
    ...(total('rate-limit') > 0 ? [`waited ${formatDuration(total('rate-limit'))} for rate-limit slots`] : []),
    ...(total('retry') > 0 ? [`lost ${formatDuration(total('retry'))} to retries`] : []),
  ];
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}

/** A dashed line from the end of each critical phase's bar to the start of the next one's. */
function criticalLinks(report: PlanRunReport, rows: PhaseRunEntry[], x: (ms: number) => number, rowY: (index: number) => number): string {
  const index = new Map(rows.map((phase, i) => [phase.number, i]));
  const chain = report.criticalPath.phases.filter((n) => index.has(n));
  const mid = (n: number) => rowY(index.get(n)!) + GANTT.rowHeight / 2;
  return chain
    .slice(1)
    .map((to, i) => {
      const from = rows[index.get(chain[i])!];
      const next = rows[index.get(to)!];
      return `<line class="critical-link" x1="${x(from.startOffsetMs + from.durationMs)}" y1="${mid(chain[i])}" x2="${x(next.startOffsetMs)}" y2="${mid(to)}"/>`;
    })
    .join('');
}

/** One row per phase that made LLM calls: what it cost in this run, or for a cache hit what the cache saved. */
function costTable(report: PlanRunReport): string {
  const rows = report.phases.filter((phase) => (phase.usage?.calls ?? 0) > 0).sort((a, b) => a.number - b.number);
  if (rows.length === 0) return '';
  const cells = rows.map((phase) => {
    const amount = costText(phase.cost);
    const what = phase.status === 'cache hit' ? 'saved by the cache' : 'spent';
    const models = phase.cost?.models.join(', ') ?? '';
    return `<tr data-phase="${phase.number}"><td>${phase.number}. ${escapeHtml(phase.name)}</td><td>${escapeHtml(phase.status)}</td><td>${escapeHtml(amount)}</td><td>${what}</td><td>${escapeHtml(models)}</td></tr>`;
  });
  const head = '<tr><th>phase</th><th>status</th><th>cost</th><th></th><th>models</th></tr>';
  return `<h2>Cost by phase <span class="meta">(prices of ${escapeHtml(report.costSpent.priceTableDate)})</span></h2><table class="costs">${head}${cells.join('')}</table>`;
}

function metricsTable(report: PlanRunReport): string {
  const names = new Map(report.phases.map((p) => [p.number, `${p.number}. ${p.name}`]));
  const tokens = (u: PlanRunReport['usageSpent']) => (u.promptTokens + u.completionTokens).toLocaleString('en-US');
  const speedUp = speedUpLines(report).map((line) => line.trim());
  const timing: Array<[string, string]> = allFromCache(report)
    ? [['timing', allFromCacheText(report)]]
    : [
        ['makespan', formatDuration(report.makespanMs)],
        ['Σ durations', formatDuration(report.sumOfDurationsMs)],
        ['average concurrency (Σ / makespan)', report.averageConcurrency.toFixed(2)],
        ['speed-up', speedUp.length > 0 ? speedUp.join(' ') : 'not applicable (not every phase ran in this run)'],
        [`lower bound (max(critical path, Σ / ${report.parallel}))`, formatDuration(report.lowerBoundMs)],
        ['efficiency (lower bound / makespan)', report.efficiency.toFixed(2)],
        ['critical path (durations measured in this run)', `${formatDuration(report.criticalPath.length)}: ${report.criticalPath.phases.map((n) => names.get(n)).join(' → ')}`],
      ];
  const { counts } = report;
  const rows: Array<[string, string]> = [
    ['phases', `${report.phases.length}: ${counts.ran} ran, ${counted(counts['cache hit'], 'cache hit', 'cache hits')}, ${counts.failed} failed, ${counts.skipped} skipped`],
    ...timing,
    ...(report.checks ? [['checks', qualityText(report.checks)] as [string, string]] : []),
    ['generator calls (failed attempts included)', String(report.usageSpent.calls)],
    ['retries', String(report.usageSpent.retries)],
    ['rate-limit and retry waits', formatDuration(report.usageSpent.waitMs)],
    ['tokens spent', tokens(report.usageSpent)],
    ['tokens saved by the cache', `${tokens(report.usageSavedByCache)} (${counted(report.usageSavedByCache.calls, 'call', 'calls')})`],
    [`cost this run (prices of ${report.costSpent.priceTableDate})`, runCostText(report.costSpent)],
    [`cost saved by the cache (prices of ${report.costSavedByCache.priceTableDate})`, runCostText(report.costSavedByCache)],
  ];
  const cells = rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`);
  return `<h2>Metrics</h2><table class="metrics">${cells.join('')}</table>`;
}
