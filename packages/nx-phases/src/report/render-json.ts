import type { ExecutionPlanReport } from './execution-plan';

/** `phase-plan.json`: the report as pretty JSON with a trailing newline (stable for the same plan and manifests). */
export function renderExecutionPlanJson(report: ExecutionPlanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
