import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { batchParallelism } from '../../runtime/batch/parallelism';
import { exitWhenParentGone } from '../../runtime/batch/parent-watch';
import { runPhaseBatch, type BatchTaskResult } from '../../runtime/batch/run-batch';
import { exitWhenBatchDone } from '../../runtime/batch/worker-exit';
import { reuseAllowed } from '../../runtime/reuse/reuse-step';
import type { PhaseExecutorOptions } from './schema';

/**
 * Batch implementation of `nx-phases:phase` (`--batch` or NX_BATCH_MODE=true): runs the batch's phases in this one
 * process, in dependency order, at most `--parallel` at once, and reports each phase as it completes. The worker
 * stops its phases and exits when nx is gone, and exits by itself once Nx has the batch's results.
 */
export default async function* phaseBatchExecutor(
  taskGraph: TaskGraph,
  inputs: Record<string, PhaseExecutorOptions>,
  _overrides: unknown,
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  exitWhenParentGone();
  const tasks = Object.values(taskGraph.tasks).map((task) => ({
    id: task.id,
    project: task.target.project,
    plan: inputs[task.id].plan,
    phase: inputs[task.id].phase,
    fingerprint: inputs[task.id].fingerprint,
    dependencies: taskGraph.dependencies[task.id] ?? [],
    exclusive: task.parallelism === false,
  }));
  yield* runPhaseBatch(tasks, { workspaceRoot: context.root, parallel: batchParallelism(context.nxJsonConfiguration?.parallel), reuse: reuseAllowed() });
  exitWhenBatchDone();
}
