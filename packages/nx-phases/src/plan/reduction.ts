import { createReachability } from './reachability';
import type { PhasePlan } from './types';

/** A dependency edge: phase `to` runs after phase `from`. */
export interface DependencyEdge {
  from: number;
  to: number;
}

/** A listed dependency that another dependency already implies: `to` runs after `via`, which runs after `from`. */
export interface ImpliedEdge extends DependencyEdge {
  /** The lowest-numbered direct dependency of `to` that itself (transitively) depends on `from`. */
  via: number;
}

/** A plan's dependency edges split into its transitive reduction and the edges that reduction implies. */
export interface DependencyReduction {
  /** The fewest edges with the same reachability, by `to` then `from`. */
  direct: DependencyEdge[];
  /** Listed edges already implied by a path through another dependency, by `to` then `from`. */
  implied: ImpliedEdge[];
}

/**
 * Splits each phase's listed dependencies into direct ones (the transitive reduction of the DAG) and implied
 * ones: `d` is implied for phase `p` when another dependency of `p` transitively depends on `d`. Reachability,
 * and so what each phase's snapshot sees, is the same with `direct` alone.
 */
export function reduceDependencies(plan: PhasePlan): DependencyReduction {
  const reachability = createReachability(plan);
  const direct: DependencyEdge[] = [];
  const implied: ImpliedEdge[] = [];
  for (const phase of [...plan.phases].sort((a, b) => a.number - b.number)) {
    const dependencies = [...new Set(phase.dependencies)].sort((a, b) => a - b);
    for (const from of dependencies) {
      const via = dependencies.find((other) => other !== from && reachability.reaches(from, other));
      if (via === undefined) direct.push({ from, to: phase.number });
      else implied.push({ from, to: phase.number, via });
    }
  }
  return { direct, implied };
}
