import type { DependencyEdge, ImpliedEdge } from '../plan';
import type { Phase, PhasePlan } from '../plan/types';
import type { ExecutionPlanReport } from './execution-plan';
import { formatDuration } from './format-duration';
import { charsThatFit, domainColour, escapeHtml, htmlPage, truncate } from './html';
import { layoutPlan, PLAN_BOX, type PlacedBox, type PlacedLevel, type PlacedStub, type RoutedEdge } from './plan-layout';
import type { SharedFileContributors } from './shared-files';


const CSS = `
.phase rect.box { fill: #fff; stroke: #9ca3af; stroke-width: 1.2; }
.phase.critical rect.box { stroke: #dc2626; stroke-width: 3; }
.phase:hover rect.box { fill: #f3f4f6; }
.phase text.name { font-size: 13px; font-weight: 600; fill: #111827; }
.phase text.domain { font-size: 11px; fill: #4b5563; }
.phase text.features { font-size: 11.5px; fill: #374151; }
.phase text.time { font-size: 11px; fill: #6b7280; }
.level-header text { font-size: 13px; font-weight: 600; fill: #374151; }
.level-header rect { fill: #f3f4f6; }
.edge path.line { fill: none; stroke: #9ca3af; stroke-width: 1.3; stroke-linejoin: round; }
.edge path.hit { fill: none; stroke: transparent; stroke-width: 10; }
.edge.critical path.line { stroke: #dc2626; stroke-width: 2.6; }
.edge.conflict-fix path.line { stroke: #d97706; stroke-width: 2.2; stroke-dasharray: 7 4; }
.stub rect.box { fill: #f9fafb; stroke: #9ca3af; stroke-dasharray: 3 2; }
.stub text { font-size: 11px; fill: #4b5563; }
.legend span.swatch.stub { background: #f9fafb; border: 1px dashed #9ca3af; }
.edge:hover path.line { stroke-width: 4; opacity: 1; }
marker path { fill: #9ca3af; }
#arrow-critical path { fill: #dc2626; }
#arrow-conflict path { fill: #d97706; }
`;

/**
 * `phase-plan.html`: one self-contained page (inline SVG and CSS, no script, nothing from the network). Levels
 * are columns of phase boxes (number, name, domain, features, estimated time), laid out by elkjs when the page is
 * written, with edges routed orthogonally between the boxes, never through one. Only the transitive reduction is
 * drawn; dependencies another dependency implies are listed below the drawing. Edges added by conflict resolution
 * are dashed orange with the recorded reason on hover, the critical path red (by recorded durations when runs have
 * recorded them, else by phase count). Hovering a phase highlights its edges. Long names are truncated with the
 * full text in a tooltip; levels that do not fit `MAX_PLAN_WIDTH` continue in a band below, where edges from
 * earlier bands start at a "from N" stub. Shared (merged) files list their contributing phases.
 */
export async function renderPlanHtml(plan: PhasePlan, report: ExecutionPlanReport, sharedFiles: SharedFileContributors[] = []): Promise<string> {
  const { drawn, implied } = drawnEdges(plan, report);
  const layout = await layoutPlan({ levels: report.levels.map((level) => ({ level: level.level, phases: level.phases.map((p) => p.number) })), edges: drawn });
  const critical = report.byTime?.criticalPath ?? report.criticalPathByCount;
  const criticalPhases = new Set(critical.phases);
  const criticalEdges = new Set(critical.phases.slice(1).map((to, i) => `${critical.phases[i]}->${to}`));
  const reasons = new Map(report.addedEdges.map((edge) => [`${edge.from}->${edge.to}`, edge.reason]));
  const estimates = new Map(report.levels.flatMap((level) => level.phases.map((p) => [p.number, p.estimatedMs] as const)));
  const names = new Map(plan.phases.map((p) => [p.number, `${p.number}. ${p.name}`]));
  const edges = layout.edges.map((edge) => edgeSvg(edge, reasons.get(`${edge.from}->${edge.to}`), criticalEdges.has(`${edge.from}->${edge.to}`)));
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="plan" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="${escapeHtml(`Phases of ${plan.name} by level`)}">`,
    '<defs>',
    arrowMarker('arrow', '#9ca3af'),
    arrowMarker('arrow-critical', '#dc2626'),
    arrowMarker('arrow-conflict', '#d97706'),
    '</defs>',
    ...layout.levels.map((level) => levelHeaderSvg(level)),
    `<g class="edges">${edges.join('')}</g>`,
    ...layout.stubs.map((stub) => stubSvg(stub, names.get(stub.phase)!)),
    ...plan.phases.map((phase) => phaseSvg(phase, layout.boxes.get(phase.number)!, criticalPhases.has(phase.number), estimates.get(phase.number))),
    '</svg>',
  ].join('\n');
  const hoverCss = plan.phases
    .map((p) => `svg:has(#phase-${p.number}:hover) .edge.from-${p.number} path.line, svg:has(#phase-${p.number}:hover) .edge.to-${p.number} path.line { stroke: #1d4ed8; stroke-width: 3; }`)
    .join('\n');
  const body = [
    `<h1>Execution plan: ${escapeHtml(plan.name)}</h1>`,
    `<p class="meta">${escapeHtml(report.planFile)} · ${report.phaseCount} phases in ${report.levels.length} levels · ${plural(drawn.length, 'dependency edge')} drawn, ${report.addedEdges.length} added by conflict resolution · ${plural(implied.length, 'implied dependency', 'implied dependencies')} listed below, not drawn · generated by nx-phases:phase-plan</p>`,
    legend(critical.phases.length > 0, report.byTime !== undefined, layout.stubs.length > 0),
    `<div class="scroll">${svg}</div>`,
    conflictSection(report),
    impliedSection(implied, names),
    criticalPathSection(plan, report),
    sharedFilesSection(plan, sharedFiles),
  ].join('\n');
  return htmlPage(`Execution plan: ${plan.name}`, `${CSS}\n${hoverCss}`, body);
}

/** The edges to draw (every listed dependency the report does not list as implied) and the implied ones to list. */
function drawnEdges(plan: PhasePlan, report: ExecutionPlanReport): { drawn: DependencyEdge[]; implied: ImpliedEdge[] } {
  const implied = new Set(report.impliedEdges.map((edge) => `${edge.from}->${edge.to}`));
  const drawn = plan.phases.flatMap((phase) => phase.dependencies.map((from) => ({ from, to: phase.number }))).filter((edge) => !implied.has(`${edge.from}->${edge.to}`));
  return { drawn, implied: report.impliedEdges };
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function arrowMarker(id: string, colour: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
}

function levelHeaderSvg(level: PlacedLevel): string {
  const count = level.phaseCount === 1 ? '1 phase' : `${level.phaseCount} parallel`;
  return `<g class="level-header" data-level="${level.level}"><rect x="${level.x}" y="${level.y}" width="${level.width}" height="24" rx="4"/><text x="${level.x + 8}" y="${level.y + 17}">Level ${level.level} (${count})</text></g>`;
}

function stubSvg(stub: PlacedStub, name: string): string {
  const { stubWidth: width, stubHeight: height } = PLAN_BOX;
  return [
    `<g class="stub" data-phase="${stub.phase}" data-band="${stub.band}">`,
    `<title>${escapeHtml(`${name} (in a band above): the edges from here start there`)}</title>`,
    `<rect class="box" x="${stub.x}" y="${stub.y}" width="${width}" height="${height}" rx="12"/>`,
    `<text x="${stub.x + width / 2}" y="${stub.y + 17}" text-anchor="middle">from ${stub.phase}</text>`,
    '</g>',
  ].join('');
}

function phaseSvg(phase: Phase, box: PlacedBox, critical: boolean, estimatedMs: number | undefined): string {
  const { width, height } = PLAN_BOX;
  const textWidth = width - 22;
  const name = `${phase.number}. ${phase.name}`;
  const features = phase.features.length > 0 ? phase.features.join(', ') : 'no features listed';
  const tooltip = [name, `domain: ${phase.domain}`, `level ${box.level}`, phase.description, `features: ${features}`, `files: ${phase.plannedFiles.join(', ')}`]
    .filter((line) => line.length > 0)
    .join('\n');
  const x = box.x + 14;
  return [
    `<g class="phase${critical ? ' critical' : ''}" id="phase-${phase.number}" data-phase="${phase.number}" data-level="${box.level}">`,
    `<title>${escapeHtml(tooltip)}</title>`,
    `<rect class="box" x="${box.x}" y="${box.y}" width="${width}" height="${height}" rx="6"/>`,
    `<rect class="stripe" x="${box.x}" y="${box.y}" width="6" height="${height}" rx="3" fill="${domainColour(phase.domain)}"/>`,
    `<text class="name" x="${x}" y="${box.y + 20}">${escapeHtml(truncate(name, charsThatFit(textWidth, 13)))}</text>`,
    `<text class="domain" x="${x}" y="${box.y + 38}">${escapeHtml(truncate(`${phase.domain} · level ${box.level}`, charsThatFit(textWidth, 11)))}</text>`,
    `<text class="features" x="${x}" y="${box.y + 57}">${escapeHtml(truncate(features, charsThatFit(textWidth, 11.5)))}</text>`,
    ...(estimatedMs !== undefined ? [`<text class="time" x="${x}" y="${box.y + 77}">~${escapeHtml(formatDuration(estimatedMs))}</text>`] : []),
    '</g>',
  ].join('');
}

function edgeSvg(edge: RoutedEdge, reason: string | undefined, critical: boolean): string {
  const { from, to } = edge;
  const d = `M${edge.points.map((p) => `${round(p.x)},${round(p.y)}`).join(' L')}`;
  const kind = `${reason !== undefined ? ' conflict-fix' : ''}${edge.fromStub ? ' from-stub' : ''}`;
  const marker = reason !== undefined ? 'arrow-conflict' : critical ? 'arrow-critical' : 'arrow';
  const title = reason ?? `Phase ${to} runs after phase ${from}`;
  return `<g class="edge${kind}${critical ? ' critical' : ''} from-${from} to-${to}" data-from="${from}" data-to="${to}"><title>${escapeHtml(title)}</title><path class="hit" d="${d}"/><path class="line" d="${d}" marker-end="url(#${marker})"/></g>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function legend(hasCriticalPath: boolean, byTime: boolean, hasStubs: boolean): string {
  const items = [
    '<span><span class="swatch" style="background:#9ca3af"></span>runs after (direct dependencies only)</span>',
    '<span><span class="swatch" style="background:#d97706"></span>added by conflict resolution (dashed; hover for the reason)</span>',
    ...(hasCriticalPath ? [`<span><span class="swatch" style="background:#dc2626"></span>critical path (${byTime ? 'by recorded durations' : 'by phase count'})</span>`] : []),
    ...(hasStubs ? ['<span><span class="swatch stub"></span>from N: an edge from phase N in a band above</span>'] : []),
  ];
  return `<div class="legend">${items.join('')}</div>`;
}

function conflictSection(report: ExecutionPlanReport): string {
  if (report.addedEdges.length === 0) return '<h2>Conflict fixes</h2><p class="meta">None: no two concurrent phases plan the same file.</p>';
  const rows = report.addedEdges.map((edge) => `<tr class="conflict-fix"><td>${edge.to} now runs after ${edge.from}</td><td>${escapeHtml(edge.file)}</td><td>${escapeHtml(edge.reason)}</td></tr>`);
  return `<h2>Conflict fixes (${report.addedEdges.length})</h2><table><tr><th>order added</th><th>file</th><th>reason</th></tr>${rows.join('')}</table>`;
}

function impliedSection(implied: ImpliedEdge[], names: Map<number, string>): string {
  if (implied.length === 0) return '';
  const name = (n: number) => escapeHtml(names.get(n)!);
  const rows = implied.map((edge) => `<tr class="implied" data-from="${edge.from}" data-to="${edge.to}"><td>${name(edge.to)}</td><td>${name(edge.from)}</td><td>${name(edge.via)}</td></tr>`);
  return `<h2>Implied dependencies (${implied.length}, not drawn)</h2><p class="meta">Listed in the plan, but already implied: the phase runs after a dependency that runs after this one.</p><table><tr><th>phase</th><th>lists</th><th>already after it through</th></tr>${rows.join('')}</table>`;
}

function criticalPathSection(plan: PhasePlan, report: ExecutionPlanReport): string {
  const names = new Map(plan.phases.map((p) => [p.number, `${p.number}. ${p.name}`]));
  const chain = (phases: number[]) => escapeHtml(phases.map((n) => names.get(n)).join(' → '));
  const byCount = `<tr><td>by phase count</td><td class="num">${report.criticalPathByCount.length} phases</td><td>${chain(report.criticalPathByCount.phases)}</td></tr>`;
  const byTime = report.byTime
    ? `<tr class="critical"><td>by recorded durations (${report.byTime.measuredPhases} of ${report.phaseCount} measured)</td><td class="num">${escapeHtml(formatDuration(report.byTime.criticalPath.length))}</td><td>${chain(report.byTime.criticalPath.phases)}</td></tr>`
    : '<tr><td>by recorded durations</td><td></td><td>unknown until a run records durations in the manifests</td></tr>';
  const bound = report.byTime
    ? `${escapeHtml(formatDuration(report.byTime.lowerBoundMs))} (max(critical path, Σ / ${report.parallel}))`
    : `${report.lowerBoundInPhases} phase durations`;
  return `<h2>Critical path</h2><table>${byCount}${byTime}<tr><td>makespan lower bound at --parallel=${report.parallel}</td><td class="num" colspan="2">${bound}</td></tr></table>`;
}

function sharedFilesSection(plan: PhasePlan, sharedFiles: SharedFileContributors[]): string {
  if (sharedFiles.length === 0) return '';
  const names = new Map(plan.phases.map((p) => [p.number, `${p.number}. ${p.name}`]));
  const rows = sharedFiles.map(
    (shared) =>
      `<tr class="shared-file"><td>${escapeHtml(shared.file)}</td><td>${shared.strategy}</td><td>${escapeHtml(shared.phases.map((n) => names.get(n) ?? String(n)).join(', '))}</td></tr>`,
  );
  return `<h2>Shared files (${sharedFiles.length})</h2><p class="meta">Built by a deterministic merge from each phase's recorded contribution.</p><table><tr><th>file</th><th>merge</th><th>contributing phases</th></tr>${rows.join('')}</table>`;
}
