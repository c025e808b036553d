import { AncestorMatrix } from './ancestor-matrix';
import { planGraph } from './graph';
import { normalizePlanPath } from './paths';
import { reachabilityOf } from './reachability';
import type { AddedEdge, Conflict, Phase, PhasePlan } from './types';

/**
 * Every concurrent pair of phases that plans the same (normalised) file, as one `{ file, phases: [a, b] }`
 * per pair, sorted by file, then a, then b. Only phases sharing a file are compared.
 */
export function findConflicts(plan: PhasePlan): Conflict[] {
  const reachability = reachabilityOf(plan);
  const conflicts: Conflict[] = [];
  for (const [file, numbers] of plannedFileIndex(plan)) {
    for (let i = 0; i < numbers.length; i++) {
      for (let j = i + 1; j < numbers.length; j++) {
        if (reachability.canRunConcurrently(numbers[i], numbers[j])) {
          conflicts.push({ file, phases: [numbers[i], numbers[j]] });
        }
      }
    }
  }
  return conflicts;
}

/**
 * Returns a new plan without conflicts: for every concurrent pair sharing a file, the higher-numbered phase
 * now depends on the lower-numbered one, recorded in `addedEdges`. Files are handled in sorted order; within
 * a file each phase is ordered after its nearest lower-numbered peer first, so peers form a chain and no edge
 * is added between phases that are already ordered. Edges join concurrent phases only, so no cycle can form.
 */
export function resolveConflicts(plan: PhasePlan): PhasePlan {
  const graph = planGraph(plan);
  const matrix = AncestorMatrix.fromGraph(graph);
  const at = (n: number) => graph.position.get(n)!;
  const added: AddedEdge[] = [];
  for (const [file, numbers] of plannedFileIndex(plan)) {
    for (let i = 1; i < numbers.length; i++) {
      const to = numbers[i];
      for (let j = i - 1; j >= 0; j--) {
        const from = numbers[j];
        if (matrix.has(at(to), at(from)) || matrix.has(at(from), at(to))) continue;
        matrix.addEdge(at(from), at(to));
        added.push({ from, to, file, reason: conflictReason(graph.order[at(from)], graph.order[at(to)], file) });
      }
    }
  }
  return withAddedEdges(plan, added);
}

/** Normalised file → the numbers of the phases that plan it (ascending), for files planned by 2+ phases, sorted by file. */
function plannedFileIndex(plan: PhasePlan): Array<[string, number[]]> {
  const index = new Map<string, Set<number>>();
  for (const phase of plan.phases) {
    for (const file of phase.plannedFiles) {
      const key = normalizePlanPath(file);
      let planners = index.get(key);
      if (!planners) index.set(key, (planners = new Set()));
      planners.add(phase.number);
    }
  }
  return [...index]
    .filter(([, planners]) => planners.size > 1)
    .map(([file, planners]): [string, number[]] => [file, [...planners].sort((a, b) => a - b)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The warning text for an added edge, e.g. "Phase 3 (Auth) and Phase 5 (Admin) both plan to write src/App.tsx; added dependency 5 → 3". */
function conflictReason(from: Phase, to: Phase, file: string): string {
  const label = (phase: Phase) => `Phase ${phase.number} (${phase.name})`;
  return `${label(from)} and ${label(to)} both plan to write ${file}; added dependency ${to.number} → ${from.number}`;
}

/** A deep copy of the plan with the added edges merged into the phases' dependencies and recorded. */
function withAddedEdges(plan: PhasePlan, added: AddedEdge[]): PhasePlan {
  const result = structuredClone(plan);
  const phaseByNumber = new Map(result.phases.map((phase) => [phase.number, phase]));
  for (const edge of added) phaseByNumber.get(edge.to)!.dependencies.push(edge.from);
  for (const phase of result.phases) phase.dependencies = [...new Set(phase.dependencies)].sort((a, b) => a - b);
  result.addedEdges.push(...added);
  return result;
}
