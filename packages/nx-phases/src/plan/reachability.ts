import { AncestorMatrix } from './ancestor-matrix';
import { planGraph } from './graph';
import type { PlanGraph } from './graph';
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

/** A plan's graph and ancestor bitsets (indexed by topological position), for callers that loop over many pairs. */
export interface ReachabilityIndex {
  graph: PlanGraph;
  matrix: AncestorMatrix;
  reachability: PlanReachability;
}

const indexes = new WeakMap<PhasePlan, ReachabilityIndex>();

/**
 * Bitset reachability for a plan (O(phases² / 32) memory; about 3 MB for 5,000 phases),
 * built once per plan object (plans are treated as immutable).
 */
export function createReachability(plan: PhasePlan): PlanReachability {
  return reachabilityIndex(plan).reachability;
}

/** True when neither phase transitively depends on the other (cached per plan). */
export function canRunConcurrently(plan: PhasePlan, a: number, b: number): boolean {
  return reachabilityIndex(plan).reachability.canRunConcurrently(a, b);
}

/** The transitive dependencies of phase `n` in topological order (cached per plan). */
export function transitiveDependencies(plan: PhasePlan, n: number): number[] {
  return reachabilityIndex(plan).reachability.ancestorsOf(n);
}

/** The plan's graph, ancestor matrix and reachability, built once per plan object. */
export function reachabilityIndex(plan: PhasePlan): ReachabilityIndex {
  let index = indexes.get(plan);
  if (!index) {
    const graph = planGraph(plan);
    const matrix = AncestorMatrix.fromGraph(graph);
    index = { graph, matrix, reachability: numberedReachability(plan, graph, matrix) };
    indexes.set(plan, index);
  }
  return index;
}

/** Wraps position-based bitsets in the phase-number API. */
function numberedReachability(plan: PhasePlan, graph: PlanGraph, matrix: AncestorMatrix): PlanReachability {
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
