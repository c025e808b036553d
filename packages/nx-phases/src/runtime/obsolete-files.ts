import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Phase } from '../plan/types';
import { sha256 } from './hash';
import type { LoadedPlan } from './load-plan';
import { readPreviousManifest } from './manifest';
import { assertRealFilePath } from './real-path-check';

/**
 * Files the phase committed last time but not now that no other phase plans: left alone they would make the app
 * depend on history. Only files still holding exactly what the phase committed are returned, so a tampered
 * manifest cannot name other files for deletion; the manifest's paths pass the path rule when it is read.
 */
export function obsoleteFiles(workspaceRoot: string, loaded: LoadedPlan, phase: Phase, written: string[]): string[] {
  const previous = readPreviousManifest({ workspaceRoot, appRoot: loaded.appRoot, phaseNumber: phase.number });
  if (!previous) return [];
  const keep = new Set([...written, ...loaded.plan.phases.filter((p) => p.number !== phase.number).flatMap((p) => p.plannedFiles)]);
  const appRootAbs = join(workspaceRoot, loaded.appRoot);
  return Object.entries(previous.files)
    .filter(([file]) => !keep.has(file))
    .filter(([file, hash]) => {
      assertRealFilePath(appRootAbs, file, `Fix: make it a real file inside the app root, or delete it.`);
      const path = join(appRootAbs, file);
      return existsSync(path) && sha256(readFileSync(path)) === hash;
    })
    .map(([file]) => file);
}
