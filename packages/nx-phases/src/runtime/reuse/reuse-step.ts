import type { Phase } from '../../plan/types';
import type { LoadedPlan } from '../load-plan';
import { counted } from '../counted';
import { PhaseProgress } from '../progress';
import type { Snapshot } from '../snapshot';
import { findCommittedResult } from './committed-result';
import { restoreCommittedResult } from './restore';

/** A phase about to be generated, with the snapshot it would be generated from. */
export interface ReuseCandidate {
  workspaceRoot: string;
  loaded: LoadedPlan;
  phase: Phase;
  fingerprint: string | undefined;
  snapshot: Snapshot;
  /** How the user fixes the plan when a live path is unsafe. */
  fixHint: string;
}

/**
 * When the phase's committed result was produced from exactly these inputs (same fingerprint, same snapshot
 * hash, record intact), re-commits it from its record without calling the generator, shows that as a progress
 * step, and returns true. Returns false, having written nothing, when the phase must be generated.
 */
export async function reuseCommittedResult(candidate: ReuseCandidate): Promise<boolean> {
  const { workspaceRoot, loaded, phase, snapshot } = candidate;
  const result = findCommittedResult({
    workspaceRoot,
    appRoot: loaded.appRoot,
    phase,
    fingerprint: candidate.fingerprint,
    snapshotHash: snapshot.hash,
    plan: loaded.plan,
  });
  if (!result) return false;
  await new PhaseProgress()
    .add('Reusing the committed result (same fingerprint and snapshot)', (title) => {
      const restored = restoreCommittedResult({ workspaceRoot, appRoot: loaded.appRoot, plan: loaded.plan, phase, result, fixHint: candidate.fixHint });
      title(`Reused the committed result: ${counted(result.contents.size, 'file')} verified, ${restored} restored; generator not called`);
    })
    .run();
  for (const warning of result.manifest.warnings ?? []) console.warn(`nx-phases: ${warning}`);
  return true;
}

/** True unless the run asked Nx to skip its cache (`--skip-nx-cache` sets NX_SKIP_NX_CACHE=true in every task). */
export function reuseAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NX_SKIP_NX_CACHE !== 'true';
}
