import type { ExecutorContext } from '@nx/devkit';
import type { LoadedPlan } from '../runtime/load-plan';
import { phaseRecordRoot } from '../runtime/record-paths';
import { currentRunId, currentRunParallel, readPhaseRuns } from '../runtime/run-records';
import { speedUpAgainst } from './baseline';
import { readBaselines } from './baseline-store';
import { readPhaseManifests } from './read-manifests';
import { allFromCache, renderRunSummary } from './render-run-summary';
import { buildPlanRunReport, withRunRecords, type PhaseTaskRun, type PlanRunReport } from './run-report';

/** Where the run's full report is written when the run ends (by the `postTasksExecution` hook). */
export const RUN_REPORT_FILES = { html: '.nx/nx-phases/last-run.html', json: '.nx/nx-phases/last-run.json' } as const;

/**
 * The aggregate target's summary step: the plan's conflict fixes and a summary of this run's phases, printed as
 * task output so it reaches the terminal with the Nx daemon on (when the `postTasksExecution` hook prints into the
 * daemon's log) or off. Phases that recorded a run in this invocation ran (with the phases' own timings); the
 * other phases in the task graph were restored from cache. Returns the lines it printed.
 */
export function printRunSummaryStep(loaded: LoadedPlan, context: ExecutorContext, print: (text: string) => void): string[] {
  const lines = [
    ...loaded.plan.addedEdges.map((edge) => `nx-phases: ${loaded.planFile}: ${edge.reason}`),
    ...summaryLines(loaded, context),
  ];
  if (lines.length > 0) print(lines.join('\n'));
  return lines;
}

function summaryLines(loaded: LoadedPlan, context: ExecutorContext): string[] {
  const runId = currentRunId();
  const runs = phaseRunsInTaskGraph(loaded, context, runId);
  if (!runId || runs.length === 0) return [];
  const manifests = readPhaseManifests(context.root, loaded.appRoot, runs.map((run) => run.number));
  const report = buildPlanRunReport(loaded.plan, loaded.planFile, runs, manifests, currentRunParallel() ?? 3);
  const speedUp = speedUpAgainst(report, readBaselines(context.root)[loaded.planFile]);
  const withSpeedUp: PlanRunReport = speedUp ? { ...report, speedUp } : report;
  return [
    ...renderRunSummary([withSpeedUp], RUN_REPORT_FILES).split('\n').slice(0, -1),
    ...(allFromCache(report)
      ? []
      : [`  (timings as the phases recorded them, from process start; Nx's own task timings are in ${RUN_REPORT_FILES.html}, written when the run ends)`]),
    `Run report: ${RUN_REPORT_FILES.html} (Gantt chart, open it in a browser) and ${RUN_REPORT_FILES.json}`,
  ];
}

/** This invocation's phase tasks of the plan: ran or failed when the phase recorded a run, skipped when a failed phase blocked it, else restored from cache. */
function phaseRunsInTaskGraph(loaded: LoadedPlan, context: ExecutorContext, runId: string | undefined): PhaseTaskRun[] {
  if (!runId || !context.taskGraph) return [];
  const numberOfRoot = new Map(loaded.plan.phases.map((phase) => [phaseRecordRoot(loaded.appRoot, phase.number), phase.number]));
  const records = readPhaseRuns(context.root, runId, loaded.planFile);
  const runs: PhaseTaskRun[] = [];
  const blocked = new Set([...records.values()].flatMap((record) => (record.success ? [] : (record.blocked ?? []).map((b) => b.number))));
  for (const task of Object.values(context.taskGraph.tasks)) {
    const number = task.target.target === context.targetName ? numberOfRoot.get(task.projectRoot ?? '') : undefined;
    if (number === undefined) continue;
    const record = records.get(number);
    if (!record && blocked.has(number)) continue; // skipped: added by withRunRecords
    runs.push({
      appRoot: loaded.appRoot,
      number,
      project: task.target.project,
      status: record ? (record.success ? 'ran' : 'failed') : 'cache hit',
      ...(record ? { startTime: record.startedAt, endTime: record.endedAt } : {}),
    });
  }
  return withRunRecords(runs, records, loaded.appRoot);
}

