import { AncestorMatrix } from './ancestor-matrix';
import { planGraph } from './graph';
import { filesystemKey, normalizePlanPath } from './paths';
import { reachabilityIndex } from './reachability';
import type { AddedEdge, Conflict, Phase, PhasePlan } from './types';

/**
 * Every concurrent pair of phases that plans the same (normalised, case-insensitively compared) file, as one
 * `{ file, phases: [a, b] }` per pair, sorted by file, then a, then b. Only phases sharing a file are compared.
 * Mergeable files (the plan's `merge`) are no conflict: each phase records what it adds, and the merge combines them.
 */
export function findConflicts(plan: PhasePlan): Conflict[] {
  const { graph, matrix } = reachabilityIndex(plan);
  const conflicts: Conflict[] = [];
  for (const [file, numbers] of plannedFileIndex(plan)) {
    const positions = numbers.map((n) => graph.position.get(n)!);
    for (let i = 0; i < numbers.length; i++) {
      for (let j = i + 1; j < numbers.length; j++) {
        if (!matrix.has(positions[i], positions[j]) && !matrix.has(positions[j], positions[i])) {
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
  const added: AddedEdge[] = [];
  for (const [file, numbers] of plannedFileIndex(plan)) {
    const positions = numbers.map((n) => graph.position.get(n)!);
    for (let i = 1; i < positions.length; i++) {
      const to = positions[i];
      for (let j = i - 1; j >= 0; j--) {
        const from = positions[j];
        if (matrix.has(to, from) || matrix.has(from, to)) continue;
        matrix.addEdge(from, to);
        const [fromPhase, toPhase] = [graph.order[from], graph.order[to]];
        added.push({ from: fromPhase.number, to: toPhase.number, file, reason: conflictReason(fromPhase, toPhase, file) });
      }
    }
  }
  return withAddedEdges(plan, added);
}

/**
 * Normalised file → the numbers of the phases that plan it (ascending), for owned (not mergeable) files planned by
 * 2+ phases, sorted by file.
 * Spellings that differ only in case or Unicode normalization count as one file (named by its lowest-numbered planner),
 * as on macOS (and, for case, Windows);
 * `parsePlan` rejects such plans, so this only matters for plans built in memory.
 */
function plannedFileIndex(plan: PhasePlan): Array<[string, number[]]> {
  // Most files have a single planner: keep a bare number until a second one appears.
  const planners = new Map<string, { file: string; numbers: number | number[] }>();
  const mergeable = new Set(Object.keys(plan.merge ?? {}).map(filesystemKey));
  for (const phase of [...plan.phases].sort((a, b) => a.number - b.number)) {
    for (const raw of phase.plannedFiles) {
      const file = normalizePlanPath(raw);
      const key = filesystemKey(file);
      if (mergeable.has(key)) continue;
      const known = planners.get(key);
      if (known === undefined) planners.set(key, { file, numbers: phase.number });
      else if (typeof known.numbers !== 'number') {
        if (known.numbers[known.numbers.length - 1] !== phase.number) known.numbers.push(phase.number);
      } else if (known.numbers !== phase.number) {
        known.numbers = [known.numbers, phase.number];
      }
    }
  }
  const shared: Array<[string, number[]]> = [];
  for (const { file, numbers } of planners.values()) if (typeof numbers !== 'number') shared.push([file, numbers]);
  return shared.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The warning text for an added edge, e.g. "Phase 3 (Auth) and Phase 5 (Admin) both plan to write src/App.tsx; 5 now runs after 3". */
function conflictReason(from: Phase, to: Phase, file: string): string {
  const label = (phase: Phase) => `Phase ${phase.number} (${phase.name})`;
  return `${label(from)} and ${label(to)} both plan to write ${file}; ${to.number} now runs after ${from.number}`;
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
