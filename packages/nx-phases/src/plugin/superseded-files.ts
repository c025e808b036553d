import { createReachability } from '../plan';
import type { PhasePlan } from '../plan/types';

/**
 * For each phase, the planned files that one of its descendants also plans (and so rewrites later).
 * Those stay out of the phase's live outputs: otherwise restoring the phase from cache would put its older
 * version back over the descendant's, e.g. when only one level (`-p tag:phase-level:1`) is run. The phase's
 * private record still holds them, so snapshots and cache keys are unaffected.
 */
export function supersededFiles(plan: PhasePlan): Map<number, Set<string>> {
  const reachability = createReachability(plan);
  const plannersByFile = new Map<string, number[]>();
  for (const phase of plan.phases) {
    for (const file of phase.plannedFiles) plannersByFile.set(file, [...(plannersByFile.get(file) ?? []), phase.number]);
  }
  const result = new Map<number, Set<string>>(plan.phases.map((p) => [p.number, new Set<string>()]));
  for (const [file, planners] of plannersByFile) {
    if (planners.length < 2) continue;
    for (const ancestor of planners) {
      if (planners.some((other) => other !== ancestor && reachability.reaches(ancestor, other))) result.get(ancestor)!.add(file);
    }
  }
  return result;
}
