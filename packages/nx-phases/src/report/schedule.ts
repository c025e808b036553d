import { topologicalOrder } from '../plan';
import type { PhasePlan } from '../plan/types';

/** The heaviest dependency chain of a plan under some per-phase weight. */
export interface CriticalPath {
  /** Phase numbers from the root phase to the last phase of the chain. */
  phases: number[];
  /** Sum of the chain's weights (phase count when every weight is 1, milliseconds for durations). */
  length: number;
}

/**
 * The heaviest chain through the plan's dependencies, where each phase weighs `weightOf(number)`.
 * Ties go to the lower-numbered dependency (and end phase), so the result is deterministic.
 */
export function criticalPath(plan: PhasePlan, weightOf: (phase: number) => number): CriticalPath {
  const finish = new Map<number, number>();
  const previous = new Map<number, number>();
  const dependenciesOf = new Map(plan.phases.map((phase) => [phase.number, phase.dependencies]));
  for (const number of topologicalOrder(plan)) {
    let before = 0;
    let via: number | undefined;
    // A plan's dependencies are in ascending order, so on a tie the lower-numbered one is kept.
    for (const dependency of dependenciesOf.get(number)!) {
      const dependencyFinish = finish.get(dependency)!;
      if (via === undefined || dependencyFinish > before) [before, via] = [dependencyFinish, dependency];
    }
    if (via !== undefined) previous.set(number, via);
    finish.set(number, before + weightOf(number));
  }
  return { phases: chainEndingAt(heaviestEnd(plan, finish), previous), length: [...finish.values()].reduce((a, b) => Math.max(a, b), 0) };
}

/** Lower bound on the makespan of any schedule on `parallel` workers: max(critical path, total work / parallel). */
export function makespanLowerBound(criticalPathLength: number, totalWork: number, parallel: number): number {
  if (!Number.isInteger(parallel) || parallel < 1) {
    throw new RangeError(`parallel must be a whole number of at least 1 (got ${parallel}); pass e.g. --parallel=3.`);
  }
  return Math.max(criticalPathLength, totalWork / parallel);
}

/** The lowest-numbered phase with the largest finish time (a plan's phases are in ascending order), or `undefined` for an empty plan. */
function heaviestEnd(plan: PhasePlan, finish: Map<number, number>): number | undefined {
  let end: number | undefined;
  for (const phase of plan.phases) {
    if (end === undefined || finish.get(phase.number)! > finish.get(end)!) end = phase.number;
  }
  return end;
}

/** Walks `previous` back from `end` and returns the chain root-first. */
function chainEndingAt(end: number | undefined, previous: Map<number, number>): number[] {
  const chain: number[] = [];
  for (let at = end; at !== undefined; at = previous.get(at)) chain.unshift(at);
  return chain;
}
