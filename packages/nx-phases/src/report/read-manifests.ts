import { readPreviousManifest, type PhaseManifest } from '../runtime/manifest';

/** The committed manifests of the given phases that exist and pass the manifest checks; phases without one are left out. */
export function readPhaseManifests(workspaceRoot: string, appRoot: string, phaseNumbers: number[]): Map<number, PhaseManifest> {
  const manifests = new Map<number, PhaseManifest>();
  for (const number of phaseNumbers) {
    try {
      const manifest = readPreviousManifest({ workspaceRoot, appRoot, phaseNumber: number });
      if (manifest) manifests.set(number, manifest);
    } catch {
      // An invalid manifest only costs this phase its time estimate; the phase itself reports it when it runs.
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
