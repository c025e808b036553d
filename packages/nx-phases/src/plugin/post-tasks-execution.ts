import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { logger, type PostTasksExecution, type PostTasksExecutionContext, type Task } from '@nx/devkit';
import { PLAN_FILE, RECORDS_DIR } from '../constants';
import { roundUsdAmounts } from '../cost';
import { applyBaselines } from '../report/baseline-store';
import { readPhaseManifests } from '../report/read-manifests';
import { parallelFromArgv } from '../report/parallel-arg';
import { renderRunHtml } from '../report/render-run-html';
import { renderRunSummary } from '../report/render-run-summary';
import { RUN_REPORT_FILES } from '../report/run-summary-step';
import { readPhaseRuns, removeRunRecords } from '../runtime/run-records';
import { buildPlanRunReport, phaseRunStatus, withRunRecords, type PhaseTaskRun, type PlanRunReport } from '../report/run-report';
import { writeFileAtomically } from '../runtime/atomic-commit';
import { loadPlan, type LoadedPlan } from '../runtime/load-plan';
import { sweepLeftovers } from '../runtime/sweep-leftovers';
import { normalizePluginOptions, type NxPhasesPluginOptions } from './options';
import { showsAggregateOutput } from './run-output';

/** Workspace-relative path of the report the hook writes after every run that included phase tasks. */
export const LAST_RUN_FILE = RUN_REPORT_FILES.json;

/** Workspace-relative path of the run's Gantt page, written next to `LAST_RUN_FILE`. */
export const LAST_RUN_PAGE = RUN_REPORT_FILES.html;

/** What `.nx/nx-phases/last-run.json` holds. */
export interface LastRunReport {
  /** The run's start and end (epoch ms) as Nx reports them, including non-phase tasks. */
  startTime: number;
  endTime: number;
  parallel: number;
  plans: PlanRunReport[];
}

const PHASE_ROOT = new RegExp(`^(?:(.+)/)?${RECORDS_DIR.replace('.', '\\.')}/(\\d+)$`);

/**
 * Nx hook run after tasks: when the run included phase tasks, writes `.nx/nx-phases/last-run.json` and its Gantt
 * page `last-run.html`, and prints a short summary (statuses, makespan, average concurrency, a speed-up only
 * against a measured sequential baseline, critical path, efficiency, generator usage) and where the report is, for
 * each plan whose aggregate target did not run or whose output the terminal does not show (`showsAggregateOutput`),
 * so the summary is printed once. With the daemon on this prints into the daemon's log.
 * Reads only Nx's task results, the plans, the manifests and baselines; a failure here warns and never fails the run.
 */
export const postTasksExecution: PostTasksExecution<NxPhasesPluginOptions> = async (options, context) => {
  const targetName = normalizePluginOptions(options).targetName;
  try {
    const runs = phaseTaskRuns(context, targetName);
    if (runs.length === 0) return;
    sweepLeftovers(context.workspaceRoot, runs.map((run) => run.appRoot));
    const parallel = parallelFromArgv(context.argv, context.nxJsonConfiguration.parallel);
    const measured = [...groupByAppRoot(runs)].flatMap(([appRoot, planRuns]) => planReport(context, appRoot, planRuns, parallel));
    if (measured.length === 0) return;
    const plans = applyBaselines(context.workspaceRoot, measured, new Date(context.endTime));
    const report: LastRunReport = { startTime: context.startTime, endTime: context.endTime, parallel, plans };
    writeFileAtomically(join(context.workspaceRoot, LAST_RUN_FILE), `${JSON.stringify(report, roundUsdAmounts, 2)}\n`);
    writeFileAtomically(join(context.workspaceRoot, LAST_RUN_PAGE), renderRunHtml(plans, LAST_RUN_FILE, context.endTime));
    const tui = process.env.NX_TUI === 'true';
    const unshown = plans.filter((plan) => {
      const aggregate = succeededAggregateTask(context, targetName, posix.dirname(plan.planFile));
      return !aggregate || !showsAggregateOutput(context.argv, targetName, tui, aggregate.target.project);
    });
    if (unshown.length > 0) logger.info(`\n${renderRunSummary(unshown, { html: LAST_RUN_PAGE, json: LAST_RUN_FILE })}`);
  } catch (error) {
    console.warn(`nx-phases: could not write ${LAST_RUN_FILE} (${error instanceof Error ? error.message : String(error)}). The run itself is not affected.`);
  } finally {
    removeRunRecords(context.workspaceRoot, context.id);
  }
};

/** The plan's aggregate task when it ran and succeeded in this run (it has printed the plan's summary then). */
function succeededAggregateTask(context: PostTasksExecutionContext, targetName: string, appRoot: string): Task | undefined {
  return Object.values(context.taskResults).find(
    ({ task, status }) => task.target.target === targetName && (task.projectRoot ?? '.') === appRoot && status === 'success',
  )?.task;
}

/** The run's phase tasks: target `targetName` on a project rooted at `<appRoot>/.phases/<n>` next to a plan. */
function phaseTaskRuns(context: PostTasksExecutionContext, targetName: string): PhaseTaskRun[] {
  const runs: PhaseTaskRun[] = [];
  for (const { task, status } of Object.values(context.taskResults)) {
    const match = task.target.target === targetName ? PHASE_ROOT.exec(task.projectRoot ?? '') : null;
    if (!match) continue;
    const appRoot = match[1] ?? '.';
    if (!existsSync(join(context.workspaceRoot, appRoot, PLAN_FILE))) continue;
    runs.push({
      appRoot,
      number: Number(match[2]),
      project: task.target.project,
      status: phaseRunStatus(status),
      startTime: task.startTime,
      endTime: task.endTime,
    });
  }
  return runs;
}

function groupByAppRoot(runs: PhaseTaskRun[]): Map<string, PhaseTaskRun[]> {
  const groups = new Map<string, PhaseTaskRun[]>();
  for (const run of [...runs].sort((a, b) => a.appRoot.localeCompare(b.appRoot))) {
    const group = groups.get(run.appRoot);
    if (group) group.push(run);
    else groups.set(run.appRoot, [run]);
  }
  return groups;
}

/**
 * One plan's report, or none when its plan no longer parses (the phase tasks already reported that). The run
 * records add what Nx's results lack: failed phases' usage and the phases Nx skipped after a failure.
 */
function planReport(context: PostTasksExecutionContext, appRoot: string, nxRuns: PhaseTaskRun[], parallel: number): PlanRunReport[] {
  const { workspaceRoot } = context;
  const loaded = loadPlanOrUndefined(workspaceRoot, posix.join(appRoot, PLAN_FILE));
  if (!loaded) return [];
  const runs = withRunRecords(nxRuns, readPhaseRuns(workspaceRoot, context.id, loaded.planFile), appRoot);
  const manifests = readPhaseManifests(workspaceRoot, appRoot, runs.map((run) => run.number));
  return [buildPlanRunReport(loaded.plan, loaded.planFile, runs, manifests, parallel)];
}

function loadPlanOrUndefined(workspaceRoot: string, planFile: string): LoadedPlan | undefined {
  try {
    return loadPlan(workspaceRoot, planFile);
  } catch {
    return undefined;
  }
}
