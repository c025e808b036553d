import type { BlockedPhase } from './run-records';

/** One task of the run's task graph, and which phase it runs when it is a phase task. */
export interface RunGraphTask {
  id: string;
  project: string;
  /** Ids of the tasks it depends on. */
  dependencies: string[];
  /** Set for phase tasks: the plan file and phase number from the target's options. */
  phase?: { plan: string; number: number };
}

/**
 * The phase tasks of `plan` that depend on task `taskId`, directly or through other tasks of the run, in phase
 * order: what Nx skips (and leaves out of its task results) when that task fails.
 */
export function blockedPhases(tasks: RunGraphTask[], taskId: string, plan: string): BlockedPhase[] {
  const dependents = new Map<string, string[]>();
  for (const task of tasks) {
    for (const dependency of task.dependencies) {
      const list = dependents.get(dependency);
      if (list) list.push(task.id);
      else dependents.set(dependency, [task.id]);
    }
  }
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const seen = new Set<string>([taskId]);
  const queue = [taskId];
  const blocked: BlockedPhase[] = [];
  while (queue.length > 0) {
    for (const id of dependents.get(queue.pop()!) ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(id);
      const task = byId.get(id);
      if (task?.phase && task.phase.plan === plan) blocked.push({ number: task.phase.number, project: task.project });
    }
  }
  return blocked.sort((a, b) => a.number - b.number);
}

/** The task graph Nx hands an executor, as `RunGraphTask`s (phase tasks found by their `plan` and `phase` options). */
export function runGraphTasks(
  taskGraph: { tasks: Record<string, { id: string; target: { project: string; target: string } }>; dependencies: Record<string, string[]> },
  targetOptions: (project: string, target: string) => Record<string, unknown> | undefined,
): RunGraphTask[] {
  return Object.values(taskGraph.tasks).map((task) => {
    const options = targetOptions(task.target.project, task.target.target);
    const phase = typeof options?.plan === 'string' && Number.isSafeInteger(options.phase) ? { plan: options.plan, number: options.phase as number } : undefined;
    return { id: task.id, project: task.target.project, dependencies: taskGraph.dependencies[task.id] ?? [], ...(phase ? { phase } : {}) };
  });
}
