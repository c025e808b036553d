import { AncestorMatrix } from './ancestor-matrix';
import { planGraph } from './graph';
import type { PhasePlan } from './types';

/** Answers ordering questions about a plan's phases (by phase number) in constant time. */
export interface PlanReachability {
  /** True when phase `to` transitively depends on phase `from` (false when they are the same phase). */
  reaches(from: number, to: number): boolean;
  /** True when neither phase reaches the other, so Nx may run them at the same time. */
  canRunConcurrently(a: number, b: number): boolean;
  /** The transitive dependencies of phase `n`, in the plan's topological order. */
  ancestorsOf(n: number): number[];
}

const cache = new WeakMap<PhasePlan, PlanReachability>();

/** Builds bitset reachability for a plan (O(phases² / 32) memory; about 3 MB for 5,000 phases). */
export function createReachability(plan: PhasePlan): PlanReachability {
  const graph = planGraph(plan);
  const matrix = AncestorMatrix.fromGraph(graph);
  const positionOf = (n: number): number => {
    const position = graph.position.get(n);
    if (position === undefined) throw new RangeError(`Phase ${n} is not part of plan "${plan.name}".`);
    return position;
  };
  const reaches = (from: number, to: number) => matrix.has(positionOf(to), positionOf(from));
  return {
    reaches,
    canRunConcurrently: (a, b) => !reaches(a, b) && !reaches(b, a) && a !== b,
    ancestorsOf: (n) => matrix.ancestors(positionOf(n)).map((position) => graph.order[position].number),
  };
}

/** The plan's reachability, built once per plan object (plans are treated as immutable). */
export function reachabilityOf(plan: PhasePlan): PlanReachability {
  let reachability = cache.get(plan);
  if (!reachability) {
    reachability = createReachability(plan);
    cache.set(plan, reachability);
  }
  return reachability;
}

/** True when neither phase transitively depends on the other (cached per plan). */
export function canRunConcurrently(plan: PhasePlan, a: number, b: number): boolean {
  return reachabilityOf(plan).canRunConcurrently(a, b);
}

/** The transitive dependencies of phase `n` in topological order (cached per plan). */
export function transitiveDependencies(plan: PhasePlan, n: number): number[] {
  return reachabilityOf(plan).ancestorsOf(n);
}
