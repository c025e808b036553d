/** A phase as the list-scheduling simulation sees it. */
export interface SimPhase {
  number: number;
  dependencies: number[];
  durationMs: number;
}

/** Orders ready phases: negative when `a` should start first. */
export type Priority = (a: number, b: number) => number;

/**
 * Makespan of greedy list scheduling on `parallel` workers with zero overhead: whenever a worker is free,
 * the ready phase that `priority` puts first starts. This is how Nx schedules (with its own priority).
 */
export function listScheduleMakespan(phases: SimPhase[], parallel: number, priority: Priority): number {
  const byNumber = new Map(phases.map((phase) => [phase.number, phase]));
  const waiting = new Map(phases.map((phase) => [phase.number, new Set(phase.dependencies)]));
  const dependents = dependentsOf(phases);
  let ready = phases.filter((phase) => phase.dependencies.length === 0).map((phase) => phase.number);
  const running: Array<{ number: number; endMs: number }> = [];
  let now = 0;
  while (ready.length > 0 || running.length > 0) {
    ready.sort(priority);
    while (running.length < parallel && ready.length > 0) {
      const number = ready.shift()!;
      running.push({ number, endMs: now + byNumber.get(number)!.durationMs });
    }
    running.sort((a, b) => a.endMs - b.endMs || a.number - b.number);
    const finished = running.shift()!;
    now = finished.endMs;
    for (const dependent of dependents.get(finished.number) ?? []) {
      const remaining = waiting.get(dependent)!;
      remaining.delete(finished.number);
      if (remaining.size === 0) ready.push(dependent);
    }
  }
  return now;
}

/**
 * Nx 23's order (tasks-schedule.js): more direct dependents first, then more transitive dependents,
 * then (without task history) the order tasks became ready, approximated here by phase number.
 */
export function nxPriority(phases: SimPhase[]): Priority {
  const direct = dependentsOf(phases);
  const transitive = transitiveDependentCounts(phases, direct);
  const count = (n: number) => direct.get(n)?.length ?? 0;
  return (a, b) => count(b) - count(a) || transitive.get(b)! - transitive.get(a)! || a - b;
}

/** Critical-path-first (HLFET): the phase with the longest remaining chain of durations starts first. */
export function criticalPathPriority(phases: SimPhase[]): Priority {
  const direct = dependentsOf(phases);
  const byNumber = new Map(phases.map((phase) => [phase.number, phase]));
  const tail = new Map<number, number>();
  const tailOf = (n: number): number => {
    if (!tail.has(n)) tail.set(n, byNumber.get(n)!.durationMs + Math.max(0, ...(direct.get(n) ?? []).map(tailOf)));
    return tail.get(n)!;
  };
  return (a, b) => tailOf(b) - tailOf(a) || a - b;
}

function dependentsOf(phases: SimPhase[]): Map<number, number[]> {
  const dependents = new Map<number, number[]>();
  for (const phase of phases) for (const dependency of phase.dependencies) dependents.set(dependency, [...(dependents.get(dependency) ?? []), phase.number]);
  return dependents;
}

function transitiveDependentCounts(phases: SimPhase[], direct: Map<number, number[]>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const phase of phases) {
    const seen = new Set<number>();
    const stack = [...(direct.get(phase.number) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    counts.set(phase.number, seen.size);
  }
  return counts;
}
