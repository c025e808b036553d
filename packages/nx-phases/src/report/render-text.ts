import { formatLevels } from '../plan';
import type { PhasePlan } from '../plan/types';
import type { ExecutionPlanReport } from './execution-plan';
import { formatDuration } from './format-duration';

/** The terminal view: levels with parallel counts, added edges, critical paths and the makespan lower bound. */
export function renderExecutionPlanText(plan: PhasePlan, report: ExecutionPlanReport): string {
  const names = phaseNames(report);
  const chain = (phases: number[]) => phases.map((n) => names.get(n)).join(' → ');
  const { criticalPathByCount: byCount, parallel, phaseCount } = report;
  const lines = [
    `Execution plan of ${report.plan} (${report.planFile}): ${phaseCount} phases in ${report.levels.length} levels`,
    '',
    formatLevels(plan),
    '',
    `Critical path by phase count (${byCount.length} phases): ${chain(byCount.phases)}`,
  ];
  if (report.byTime) {
    const t = report.byTime;
    lines.push(
      `Critical path by estimated time (${formatDuration(t.criticalPath.length)}; ${t.measuredPhases} of ${phaseCount} phases measured): ${chain(t.criticalPath.phases)}`,
    );
  } else {
    lines.push('Critical path by estimated time: unknown until a run records durations in the manifests.');
  }
  lines.push(
    `Lower bound on makespan with --parallel=${parallel}: max(${byCount.length}, ${phaseCount} / ${parallel}) = ${round(report.lowerBoundInPhases)} phase durations`,
  );
  if (report.byTime) {
    const t = report.byTime;
    lines.push(
      `  by estimated time: max(${formatDuration(t.criticalPath.length)}, ${formatDuration(t.totalWorkMs)} / ${parallel}) = ${formatDuration(t.lowerBoundMs)}`,
    );
  }
  return lines.join('\n');
}

function phaseNames(report: ExecutionPlanReport): Map<number, string> {
  return new Map(report.levels.flatMap((level) => level.phases.map((phase) => [phase.number, phase.name] as const)));
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
