import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MergeConflictError, transitiveDependencies } from '../../plan';
import type { Phase, PhasePlan } from '../../plan/types';
import { collectContributions, mergeCollected, phaseLabel } from './collect';

/** The merged files a snapshot holds: their text (the base a phase's additions are measured against) and who contributed. */
export interface MergedSnapshotFiles {
  /** Mergeable file → the merged text written into the snapshot. */
  base: Map<string, string>;
  /** `[phase, file, contribution hash]` of every contribution merged in; part of the snapshot's digest. */
  attribution: Array<[number, string, string]>;
}

/** Thrown when the transitive dependencies' contributions to a mergeable file conflict. */
export class SnapshotMergeError extends Error {}

/**
 * Writes into the snapshot, for every mergeable file of the plan, the merge of the contributions recorded by the
 * phase's transitive dependencies (and removes whatever else an overlay put there), so the phase sees the packages,
 * routes and lines its dependencies added and nothing a concurrent phase added.
 */
export function overlayMergedFiles(source: { workspaceRoot: string; appRoot: string; plan: PhasePlan; phase: Phase }, root: string): MergedSnapshotFiles {
  const { plan, phase } = source;
  if (!plan.merge) return { base: new Map(), attribution: [] };
  const grouped = collectContributions({ ...source, phases: transitiveDependencies(plan, phase.number) });
  let result: ReturnType<typeof mergeCollected>;
  try {
    result = mergeCollected(plan, grouped);
  } catch (error) {
    if (!(error instanceof MergeConflictError)) throw error;
    throw new SnapshotMergeError(`The snapshot of ${phaseLabel(phase)} cannot be built: its dependencies' contributions conflict.\n${error.message}`);
  }
  for (const file of Object.keys(plan.merge)) rmSync(join(root, file), { force: true });
  for (const [file, text] of result.merged) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return { base: result.merged, attribution: result.attribution };
}
