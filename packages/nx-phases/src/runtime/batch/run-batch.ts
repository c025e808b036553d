import { posix } from 'node:path';
import { readPreviousManifest } from '../manifest';
import { withPhaseCancellation } from '../cancellation';
import { runPhase } from '../run-phase';
import { blockedPhases, type RunGraphTask } from '../run-dependents';
import { runDag, type DagJob, type DagOutcome } from './dag-runner';
import { remainingPathWeights } from './priority';
import { installTaskOutputRouting, runWithTaskOutput } from './task-output';
import { outputLimitBytes } from '../output-limit';

/** One phase task of an Nx batch. */
export interface BatchPhaseTask {
  /** Nx task id, e.g. `shop-3-auth:phase`. */
  id: string;
  plan: string;
  phase: number;
  fingerprint?: string;
  /** The task's project (default: the part of `id` before the first `:`). */
  project?: string;
  /** Ids of the batch tasks it depends on. */
  dependencies: string[];
  /** The target has `parallelism: false` (a `"parallel": false` plan): it never overlaps another phase. */
  exclusive: boolean;
}

/** How a batch runs its phases. */
export interface BatchSettings {
  workspaceRoot: string;
  /** At most this many phases at once. */
  parallel: number;
  /** Re-commit matching committed results instead of generating (false under --skip-nx-cache). */
  reuse: boolean;
}

/** One task's result in Nx's batch protocol (`TaskResult` with an explicit status). */
export interface BatchTaskResult {
  task: string;
  result: { success: boolean; status: 'success' | 'failure' | 'skipped'; terminalOutput: string; startTime?: number; endTime?: number };
}

/** Weight of a phase with no recorded duration, relative to recorded ones (ms). */
const UNKNOWN_DURATION_MS = 1000;

/**
 * Runs the phases of one Nx batch in this process through the same pipeline as the executor (`runPhase`): each
 * starts as soon as its own dependencies have committed, at most `parallel` at once, longest remaining path first
 * (by the durations recorded in earlier manifests). Yields each phase's result as soon as it is known, with the
 * output that phase wrote, so Nx prints and caches it per task. A failed phase fails alone: its dependents are
 * reported skipped, every other phase still runs, and nothing here ends the worker early.
 */
export async function* runPhaseBatch(tasks: BatchPhaseTask[], settings: BatchSettings): AsyncGenerator<BatchTaskResult> {
  installTaskOutputRouting();
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const outputs = new Map<string, string>();
  const weights = remainingPathWeights(tasks, (id) => recordedDurationMs(settings.workspaceRoot, byId.get(id)!));
  const graph: RunGraphTask[] = tasks.map((task) => ({ id: task.id, project: task.project ?? task.id.split(':')[0], dependencies: task.dependencies, phase: { plan: task.plan, number: task.phase } }));
  const jobs: DagJob[] = tasks.map((task) => ({ id: task.id, dependencies: task.dependencies, priority: weights.get(task.id)!, exclusive: task.exclusive }));
  let limit: number | Error;
  try {
    limit = outputLimitBytes();
  } catch (error) {
    limit = error as Error;
  }
  const run = async (job: DagJob) => {
    const task = byId.get(job.id)!;
    if (limit instanceof Error) {
      outputs.set(job.id, `nx-phases: ${limit.message}\n`);
      return false;
    }
    // A phase whose error escaped is reported failed at once; `failed` then stops the rest of its run uncommitted.
    const { success, output } = await runWithTaskOutput((failed) => withPhaseCancellation(failed, async () => {
      const result = await runPhase({ workspaceRoot: settings.workspaceRoot, plan: task.plan, phase: task.phase, fingerprint: task.fingerprint, reuse: settings.reuse,
        blockedOnFailure: () => blockedPhases(graph, task.id, task.plan) });
      return result.success;
    }), limit);
    outputs.set(job.id, output);
    return success;
  };
  for await (const outcome of runDag(jobs, settings.parallel, run)) {
    yield { task: outcome.id, result: resultOf(outcome, outputs.get(outcome.id)) };
  }
}

function resultOf(outcome: DagOutcome, output: string | undefined): BatchTaskResult['result'] {
  const terminalOutput = outcome.status === 'skipped' ? `nx-phases: not run, because ${outcome.blockedBy} failed.\n` : (output ?? '');
  return { success: outcome.status === 'success', status: outcome.status, terminalOutput, startTime: outcome.startTime, endTime: outcome.endTime };
}

function recordedDurationMs(workspaceRoot: string, task: BatchPhaseTask): number {
  const appRoot = posix.dirname(task.plan.replace(/\\/g, '/'));
  try {
    const duration = readPreviousManifest({ workspaceRoot, appRoot, phaseNumber: task.phase })?.durationMs;
    return duration !== undefined && duration > 0 ? duration : UNKNOWN_DURATION_MS;
  } catch {
    return UNKNOWN_DURATION_MS; // an invalid manifest only loses its weight here; the phase itself reports it
  }
}
