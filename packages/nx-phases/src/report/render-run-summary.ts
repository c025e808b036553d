import type { GeneratorUsage } from '../runtime/phase-generator';
import { everyPhaseRan } from './baseline';
import { formatDuration } from './format-duration';
import type { PlanRunReport } from './run-report';

const MAX_CHAIN = 8;
const MAX_LISTED = 3;

/** A few lines per plan (one screen for a handful of plans) ending with where the Gantt chart and the JSON report are. */
export function renderRunSummary(plans: PlanRunReport[], files: { html: string; json: string }): string {
  return [...plans.flatMap(planSummary), runReportPointer(files)].join('\n');
}

/** The line naming the run's Gantt page and JSON report. */
export function runReportPointer(files: { html: string; json: string }): string {
  return `Run report: ${files.html} (Gantt chart, open it in a browser) and ${files.json}`;
}

function planSummary(report: PlanRunReport): string[] {
  const { counts } = report;
  const names = new Map(report.phases.map((phase) => [phase.number, phase.name]));
  const slowest = [...report.phases]
    .filter((phase) => phase.status === 'ran')
    .sort((a, b) => b.durationMs - a.durationMs || a.number - b.number)
    .slice(0, MAX_LISTED);
  const failed = report.phases.filter((phase) => phase.status === 'failed');
  return [
    `nx-phases: ${report.plan}: ${report.phases.length} phases: ${counts.ran} ran, ${counted(counts['cache hit'], 'cache hit', 'cache hits')}, ${counts.failed} failed, ${counts.skipped} skipped (--parallel=${report.parallel})`,
    `  makespan ${formatDuration(report.makespanMs)} · Σ durations ${formatDuration(report.sumOfDurationsMs)} · average concurrency ${report.averageConcurrency.toFixed(2)} · lower bound ${formatDuration(report.lowerBoundMs)} · efficiency ${report.efficiency.toFixed(2)}`,
    ...speedUpLines(report),
    `  critical path (${formatDuration(report.criticalPath.length)}): ${shortChain(report.criticalPath.phases.map((n) => names.get(n)!))}`,
    ...(slowest.length > 0 ? [`  slowest: ${slowest.map((phase) => `${phase.name} ${formatDuration(phase.durationMs)}`).join(', ')}`] : []),
    ...(failed.length > 0 ? [`  failed: ${listed(failed.map((phase) => `${phase.name} (${phase.project})`))}`] : []),
    `  generator usage this run: ${formatUsage(report.usageSpent)}${report.counts['cache hit'] > 0 ? `; the cache saved ${formatUsage(report.usageSavedByCache)}` : ''}`,
  ];
}

/**
 * A speed-up only against a measured sequential run of the same phases, naming that run; otherwise what
 * would measure one. Nothing for runs that were mostly cache hits: their speed says nothing about parallelism.
 */
export function speedUpLines(report: PlanRunReport): string[] {
  const count = counted(report.phases.length, 'phase', 'phases');
  if (report.speedUp) {
    const { factor, baseline } = report.speedUp;
    return [`  speed-up ${factor.toFixed(2)}× against the measured sequential baseline: the --parallel=1 run of the same ${count} at ${baseline.recordedAt} took ${formatDuration(baseline.makespanMs)}`];
  }
  if (!everyPhaseRan(report)) return [];
  if (report.parallel === 1) return [`  recorded as the sequential baseline for these ${count}: a later parallel run of the same phases reports its speed-up against it`];
  return [`  speed-up: not measured (no sequential baseline of these ${count}; run them once with --parallel=1 --skip-nx-cache to record one)`];
}

/** `A → B → … → Y → Z` when the chain is long. */
function shortChain(names: string[]): string {
  if (names.length <= MAX_CHAIN) return names.join(' → ');
  return [...names.slice(0, 3), `… (${names.length - 6} more)`, ...names.slice(-3)].join(' → ');
}

function listed(items: string[]): string {
  return items.length <= MAX_LISTED ? items.join(', ') : `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

function formatUsage(usage: GeneratorUsage): string {
  const tokens = usage.promptTokens + usage.completionTokens;
  return `${counted(usage.calls, 'call', 'calls')}, ${counted(usage.retries, 'retry', 'retries')}, ${counted(tokens, 'token', 'tokens')}`;
}

function counted(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
