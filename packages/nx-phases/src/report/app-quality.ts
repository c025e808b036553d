import type { PhaseManifest } from '../runtime/manifest';
import { qualityOf, type CheckQuality } from './run-report';

/**
 * The quality figures of the app as committed: over the phases whose manifest records checks, how many passed
 * their check first time and how many needed repairs (attempts = 1 + repairs). Undefined when none recorded a check.
 */
export function committedAppQuality(manifests: Map<number, PhaseManifest>): CheckQuality | undefined {
  const outcomes = [...manifests.values()].filter((manifest) => manifest.checks && manifest.checks.length > 0).map((manifest) => ({ attempts: manifest.checks!.length, passed: true }));
  return outcomes.length > 0 ? qualityOf(outcomes) : undefined;
}
