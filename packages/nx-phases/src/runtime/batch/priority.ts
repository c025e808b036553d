/** A job's place in the graph, for ranking. */
export interface RankedJob {
  id: string;
  dependencies: string[];
}

/**
 * Each job's longest remaining path: its own weight plus the heaviest chain of dependents after it (jobs
 * outside the list are ignored). Starting the ready job with the longest remaining path first is the
 * critical-path list-scheduling rule, which keeps the makespan close to its lower bound.
 */
export function remainingPathWeights(jobs: RankedJob[], weightOf: (id: string) => number): Map<string, number> {
  const ids = new Set(jobs.map((job) => job.id));
  const dependents = new Map<string, string[]>(jobs.map((job) => [job.id, []]));
  const waiting = new Map<string, number>();
  for (const job of jobs) {
    const deps = [...new Set(job.dependencies)].filter((dep) => ids.has(dep) && dep !== job.id);
    waiting.set(job.id, deps.length);
    for (const dep of deps) dependents.get(dep)!.push(job.id);
  }
  const order: string[] = jobs.filter((job) => waiting.get(job.id) === 0).map((job) => job.id);
  for (let i = 0; i < order.length; i++) {
    for (const next of dependents.get(order[i])!) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) order.push(next);
    }
  }
  const weights = new Map<string, number>();
  for (const id of order.reverse()) {
    const after = Math.max(0, ...dependents.get(id)!.map((next) => weights.get(next) ?? 0));
    weights.set(id, weightOf(id) + after);
  }
  return weights;
}
