import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_DIGEST_FILE } from '../../constants';
import { supersededFiles } from '../../plugin/superseded-files';
import type { Phase, PhasePlan } from '../../plan/types';
import { writeFileAtomically } from '../atomic-commit';
import { hasExecuteBit } from '../file-mode';
import { sha256 } from '../hash';
import { assertRealFilePath } from '../real-path-check';
import { readTextIfPresent } from '../read-text';
import { phaseRecordPathInApp } from '../record-paths';
import type { CommittedResult } from './committed-result';

/** Where a verified committed result is re-committed. */
export interface RestoreRequest {
  workspaceRoot: string;
  appRoot: string;
  plan: PhasePlan;
  phase: Phase;
  result: CommittedResult;
  /** How the user fixes the plan when a live path is unsafe (ends error messages). */
  fixHint: string;
}

/**
 * Re-commits a verified result the way an Nx cache hit restores it: every live file the phase owns (its
 * written files that no descendant rewrites) is put back from the record where it differs, each atomically
 * (temp file + rename), and the snapshot digest is rewritten if it differs. The record and the manifest are
 * already right and are never removed, so a concurrent reader of this phase's record never sees it missing.
 * Returns the number of live files written.
 */
export function restoreCommittedResult(request: RestoreRequest): number {
  const { workspaceRoot, appRoot, plan, phase, result } = request;
  const appRootAbs = join(workspaceRoot, appRoot);
  const superseded = supersededOf(plan).get(phase.number) ?? new Set<string>();
  const live = [...result.contents].filter(([file]) => !superseded.has(file));
  const digestFile = phaseRecordPathInApp(phase.number, SNAPSHOT_DIGEST_FILE);
  for (const file of [...live.map(([file]) => file), digestFile]) assertRealFilePath(appRootAbs, file, request.fixHint);
  const executable = new Set(result.manifest.executable ?? []);
  let restored = 0;
  for (const [file, content] of live) {
    const target = join(appRootAbs, file);
    if (regularFileState(target) === `${result.manifest.files[file]}${executable.has(file) ? '+x' : ''}`) continue;
    writeFileAtomically(target, content, { executable: executable.has(file) });
    restored++;
  }
  const digestPath = join(appRootAbs, digestFile);
  const digest = `${result.manifest.snapshotHash}\n`;
  if (readTextIfPresent(digestPath) !== digest) writeFileAtomically(digestPath, digest);
  return restored;
}

/** Per plan object, computed once: a batch worker restores many phases of one plan. */
const supersededByPlan = new WeakMap<PhasePlan, Map<number, Set<string>>>();

function supersededOf(plan: PhasePlan): Map<number, Set<string>> {
  let superseded = supersededByPlan.get(plan);
  if (!superseded) supersededByPlan.set(plan, (superseded = supersededFiles(plan)));
  return superseded;
}

/** A regular file's sha256, with `+x` appended when it is executable; undefined for anything else. */
function regularFileState(path: string): string | undefined {
  try {
    const stat = lstatSync(path);
    return stat.isFile() ? `${sha256(readFileSync(path))}${hasExecuteBit(stat.mode) ? '+x' : ''}` : undefined;
  } catch {
    return undefined;
  }
}

