import type { MergeStrategy, PhasePlan } from '../plan/types';

/** A file several phases write through a declared merge, and the phases whose contributions build it. */
export interface SharedFileContributors {
  file: string;
  strategy: MergeStrategy;
  /** Phases that plan the file, ascending: each records its additions and the merge combines them. */
  phases: number[];
}

/** The plan's mergeable files (sorted by path), each with the phases that contribute to it. */
export function sharedFileContributors(plan: PhasePlan): SharedFileContributors[] {
  return Object.entries(plan.merge ?? {}).map(([file, strategy]) => ({
    file,
    strategy,
    phases: plan.phases.filter((phase) => phase.plannedFiles.includes(file)).map((phase) => phase.number),
  }));
}
