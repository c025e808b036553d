import { existsSync, readFileSync } from 'node:fs';
import type { PhaseManifest } from '../runtime/manifest';
import { phaseManifestPath } from '../runtime/record-paths';

/** The committed manifests of the given phases that exist and parse; phases without one are left out. */
export function readPhaseManifests(workspaceRoot: string, appRoot: string, phaseNumbers: number[]): Map<number, PhaseManifest> {
  const manifests = new Map<number, PhaseManifest>();
  for (const number of phaseNumbers) {
    const path = phaseManifestPath(workspaceRoot, appRoot, number);
    if (!existsSync(path)) continue;
    try {
      manifests.set(number, JSON.parse(readFileSync(path, 'utf8')) as PhaseManifest);
    } catch {
      // A half-written or hand-edited manifest only costs this phase its time estimate.
    }
  }
  return manifests;
}

/** Phase number → `durationMs` recorded in its manifest, for the manifests that hold a valid one. */
export function manifestDurations(manifests: Map<number, PhaseManifest>): Map<number, number> {
  const durations = new Map<number, number>();
  for (const [number, manifest] of manifests) {
    if (Number.isFinite(manifest.durationMs) && manifest.durationMs >= 0) durations.set(number, manifest.durationMs);
  }
  return durations;
}
