import { join, posix } from 'node:path';
import { CONTRIBUTIONS_FILE, MANIFEST_FILE, RECORDS_DIR, RECORD_FILES_DIR, SNAPSHOT_DIGEST_FILE } from '../constants';

/** Workspace-relative record folder of a phase: `<appRoot>/.phases/<n>` (also its project root). */
export function phaseRecordRoot(appRoot: string, phaseNumber: number): string {
  return posix.join(appRoot, RECORDS_DIR, String(phaseNumber));
}

/** Absolute folder holding the private copy of a phase's committed files. */
export function phaseRecordFilesDir(workspaceRoot: string, appRoot: string, phaseNumber: number): string {
  return join(workspaceRoot, phaseRecordRoot(appRoot, phaseNumber), RECORD_FILES_DIR);
}

/** Absolute path of a phase's manifest. */
export function phaseManifestPath(workspaceRoot: string, appRoot: string, phaseNumber: number): string {
  return join(workspaceRoot, phaseRecordRoot(appRoot, phaseNumber), MANIFEST_FILE);
}

/** Absolute path of the file holding the content hash of the snapshot a phase was generated from. */
export function phaseSnapshotDigestPath(workspaceRoot: string, appRoot: string, phaseNumber: number): string {
  return join(workspaceRoot, phaseRecordRoot(appRoot, phaseNumber), SNAPSHOT_DIGEST_FILE);
}

/** App-root-relative path inside a phase's record folder, `.phases/<n>/<parts…>`, for the real-folder checks. */
export function phaseRecordPathInApp(phaseNumber: number, ...parts: string[]): string {
  return posix.join(RECORDS_DIR, String(phaseNumber), ...parts);
}

/** App-root-relative path of the file holding a phase's contributions to mergeable files. */
export function phaseContributionsPathInApp(phaseNumber: number): string {
  return phaseRecordPathInApp(phaseNumber, CONTRIBUTIONS_FILE);
}
