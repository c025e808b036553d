import { formatUsd } from '../cost';
import { neededRepairText, qualityText } from './render-quality';
import { counted } from '../runtime/counted';
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
  const named = (status: string) => report.phases.filter((phase) => phase.status === status).map((phase) => `${phase.name} (${phase.project})`);
  const failed = named('failed');
  const skipped = named('skipped');
  return [
    `nx-phases: ${report.plan}: ${counted(report.phases.length, 'phase', 'phases')}: ${counts.ran} ran, ${counted(counts['cache hit'], 'cache hit', 'cache hits')}, ${counts.failed} failed, ${counts.skipped} skipped (--parallel=${report.parallel})`,
    ...(allFromCache(report) ? [`  ${allFromCacheText(report)}`] : timingLines(report, names)),
    ...(slowest.length > 0 ? [`  slowest: ${slowest.map((phase) => `${phase.name} ${formatDuration(phase.durationMs)}`).join(', ')}`] : []),
    ...(failed.length > 0 ? [`  failed: ${listed(failed)}`] : []),
    ...(skipped.length > 0 ? [`  skipped (a phase they depend on failed): ${listed(skipped)}`] : []),
    ...(report.checks ? checksLines(report) : []),
    usageLine(report),
    ...costLines(report),
  ];
}

/**
 * `  checks: 4 phases ran with a check: 3 passed first time (75 %), 1 repaired, 5 attempts: retry rate 25 %`, then
 * `  needed a repair: Auth (2 attempts)` naming the phases of this run that did, with their attempts.
 */
function checksLines(report: PlanRunReport): string[] {
  const ranTheirCheck = report.phases.filter((phase) => (phase.status === 'ran' || phase.status === 'failed') && phase.attempts !== undefined);
  const repairs = neededRepairText(ranTheirCheck.map((phase) => ({ name: phase.name, attempts: phase.attempts!, failed: phase.status === 'failed' })));
  return [`  checks: ${qualityText(report.checks!)}`, ...(repairs ? [`  ${repairs}`] : [])];
}

function timingLines(report: PlanRunReport, names: Map<number, string>): string[] {
  return [
    `  makespan ${formatDuration(report.makespanMs)} · Σ durations ${formatDuration(report.sumOfDurationsMs)} · average concurrency ${report.averageConcurrency.toFixed(2)} · lower bound ${formatDuration(report.lowerBoundMs)} · efficiency ${report.efficiency.toFixed(2)}`,
    ...speedUpLines(report),
    `  critical path (${formatDuration(report.criticalPath.length)}, by this run's measured durations): ${shortChain(report.criticalPath.phases.map((n) => names.get(n)!))}`,
  ];
}

/** True when every phase of the run was restored from cache: its timings measure restores, not generation. */
export function allFromCache(report: PlanRunReport): boolean {
  return report.phases.length > 0 && report.counts['cache hit'] === report.phases.length;
}

/** "all 14 phases restored from cache" (with the restore time when Nx measured one). */
export function allFromCacheText(report: PlanRunReport): string {
  const all = report.phases.length === 1 ? 'the only phase' : `all ${report.phases.length} phases`;
  return `${all} restored from cache${report.makespanMs > 0 ? ` in ${formatDuration(report.makespanMs)}` : ''}; nothing was generated`;
}

function usageLine(report: PlanRunReport): string {
  const saved = report.counts['cache hit'] > 0 ? `the cache saved ${formatUsage(report.usageSavedByCache)}` : '';
  if (allFromCache(report)) return `  generator usage this run: none; ${saved}`;
  return `  generator usage this run: ${formatUsage(report.usageSpent)}${saved ? `; ${saved}` : ''}`;
}

/** `  cost this run: $0.0123 (prices of 2025-08-07); the cache saved $0.0456`, naming phases whose cost is unknown. */
function costLines(report: PlanRunReport): string[] {
  if (!report.phases.some((phase) => (phase.usage?.calls ?? 0) > 0)) return [];
  const spent = allFromCache(report) ? formatUsd(0) : runCostText(report.costSpent);
  // Cache hits keep the price table their manifests were costed with; name it when it is not this run's.
  const savedDate = report.costSavedByCache.priceTableDate;
  const savedAt = savedDate !== report.costSpent.priceTableDate ? ` at prices of ${savedDate}` : '';
  const saved = report.counts['cache hit'] > 0 ? `; the cache saved ${runCostText(report.costSavedByCache)}${savedAt}` : '';
  const costliest = [...report.phases]
    .filter((phase) => (phase.status === 'ran' || phase.status === 'failed') && phase.cost?.usd)
    .sort((a, b) => b.cost!.usd! - a.cost!.usd! || a.number - b.number)
    .slice(0, MAX_LISTED);
  return [
    `  cost this run: ${spent}${saved} (prices of ${report.costSpent.priceTableDate})`,
    ...(costliest.length > 0 ? [`  costliest: ${costliest.map((phase) => `${phase.name} ${formatUsd(phase.cost!.usd!)}`).join(', ')}`] : []),
  ];
}

/**
 * `$0.0123`, plus the phases whose cost is unknown and why: `$0.0123 + unknown (phases 4, 7: no price)`, or
 * `unknown (phase 3: a call got no answer, so its usage was never reported)`.
 */
export function runCostText(cost: PlanRunReport['costSpent']): string {
  const unanswered = cost.unansweredPhases;
  if (cost.unpricedPhases.length === 0 && unanswered.length === 0) return formatUsd(cost.usd);
  const phases = (numbers: number[]) => `${numbers.length === 1 ? 'phase' : 'phases'} ${numbers.join(', ')}`;
  const reasons = [
    ...(cost.unpricedPhases.length > 0 ? [`${phases(cost.unpricedPhases)}: no price`] : []),
    ...(unanswered.length > 0
      ? [`${phases(unanswered)}: ${unanswered.length === 1 ? 'a call' : 'calls'} got no answer, so ${unanswered.length === 1 ? 'its' : 'their'} usage was never reported`]
      : []),
  ];
  return `${cost.usd > 0 ? `${formatUsd(cost.usd)} + ` : ''}unknown (${reasons.join('; ')})`;
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
