import type { PhaseManifest } from '../runtime/manifest';
import type { PhaseAttempts } from './render-quality';
import { qualityOf, type CheckQuality } from './run-report';

/**
 * The quality figures of the app as committed: over the phases whose manifest records checks, how many passed
 * their check first time and how many needed repairs (attempts = 1 + repairs). Undefined when none recorded a check.
 */
export function committedAppQuality(manifests: Map<number, PhaseManifest>): CheckQuality | undefined {
  const outcomes = [...manifests.values()].filter((manifest) => manifest.checks && manifest.checks.length > 0).map((manifest) => ({ attempts: manifest.checks!.length, passed: true }));
  return outcomes.length > 0 ? qualityOf(outcomes) : undefined;
}

/** Each committed phase that recorded checks, in phase order, with its attempts (for `neededRepairText`). */
export function committedPhaseAttempts(manifests: Map<number, PhaseManifest>): PhaseAttempts[] {
  return [...manifests.values()]
    .filter((manifest) => manifest.checks && manifest.checks.length > 0)
    .sort((a, b) => a.phase.number - b.phase.number)
    .map((manifest) => ({ name: manifest.phase.name, attempts: manifest.checks!.length, failed: false }));
}
