import type { ExecutorContext } from '@nx/devkit';
import { runPhase } from '../../runtime/run-phase';
import { reuseAllowed } from '../../runtime/reuse/reuse-step';
import type { PhaseExecutorOptions } from './schema';

/**
 * Runs one phase: snapshot → generate → validate → atomic commit, or re-commits its committed result when its
 * inputs are unchanged (not under --skip-nx-cache). A failed phase commits nothing.
 */
export default async function phaseExecutor(options: PhaseExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  return runPhase({
    workspaceRoot: context.root,
    plan: options.plan,
    phase: options.phase,
    fingerprint: options.fingerprint,
    reuse: reuseAllowed(),
    // Nx forks one process per task: its start is the task's start, as Nx times it.
    taskStartedAt: Math.round(performance.timeOrigin),
  });
}
