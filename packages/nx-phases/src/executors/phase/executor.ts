import { posix } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { boundProcessOutput, outputLimitBytes } from '../../runtime/output-limit';
import { blockedPhases, runGraphTasks } from '../../runtime/run-dependents';
import { runPhase } from '../../runtime/run-phase';
import { reuseAllowed } from '../../runtime/reuse/reuse-step';
import type { PhaseExecutorOptions } from './schema';

/**
 * Runs one phase: snapshot → generate → validate → atomic commit, or re-commits its committed result when its
 * inputs are unchanged (not under --skip-nx-cache). A failed phase commits nothing. What the phase prints is
 * bounded (`NX_PHASES_MAX_OUTPUT_MB`): Nx keeps a task's whole output in one string.
 */
export default async function phaseExecutor(options: PhaseExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  let limit: number;
  try {
    limit = outputLimitBytes();
  } catch (error) {
    console.error(`nx-phases: ${(error as Error).message}`);
    return { success: false };
  }
  const finishOutput = boundProcessOutput(limit);
  try {
    return await runPhaseTask(options, context);
  } finally {
    finishOutput();
  }
}

function runPhaseTask(options: PhaseExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  return runPhase({
    workspaceRoot: context.root,
    plan: options.plan,
    phase: options.phase,
    fingerprint: options.fingerprint,
    reuse: reuseAllowed(),
    // Nx forks one process per task: its start is the task's start, as Nx times it.
    taskStartedAt: Math.round(performance.timeOrigin),
    blockedOnFailure: () => blockedInRun(options, context),
    warnConflicts: !aggregateTaskInRun(context, options.plan),
  });
}

/** The phase tasks of this plan that Nx will skip because this one failed (from the task graph Nx passed in). */
function blockedInRun(options: PhaseExecutorOptions, context: ExecutorContext) {
  if (!context.taskGraph) return [];
  const self = Object.values(context.taskGraph.tasks).find(
    (task) => task.target.project === context.projectName && task.target.target === context.targetName,
  );
  if (!self) return [];
  const projects = context.projectsConfigurations?.projects ?? {};
  const tasks = runGraphTasks(context.taskGraph, (project, target) => projects[project]?.targets?.[target]?.options);
  return blockedPhases(tasks, self.id, options.plan);
}

/** True when the run also holds the plan's aggregate task (`<plan project>:<this target>` at the plan's folder). */
export function aggregateTaskInRun(context: Pick<ExecutorContext, 'taskGraph' | 'targetName'>, planFile: string): boolean {
  const appRoot = posix.dirname(planFile);
  return Object.values(context.taskGraph?.tasks ?? {}).some(
    (task) => task.target.target === context.targetName && (task.projectRoot || '.') === appRoot,
  );
}
