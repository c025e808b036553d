import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { MANIFEST_FILE, RECORD_FILES_DIR, SNAPSHOT_DIGEST_FILE } from '../constants';
import { commitSuffix, removeDeadLeftovers, stagingPathFor, tempPathFor } from './leftovers';
import type { PhaseManifest } from './manifest';
import { assertRealFilePath, assertRealFolderPath } from './real-path-check';
import { phaseManifestPath, phaseRecordFilesDir, phaseRecordPathInApp, phaseRecordRoot, phaseSnapshotDigestPath } from './record-paths';

/** What to commit: the files a phase wrote in its snapshot, and its manifest. */
export interface CommitRequest {
  workspaceRoot: string;
  appRoot: string;
  phaseNumber: number;
  snapshotRoot: string;
  written: string[];
  /** Files this phase committed last time, no longer writes, and no other phase plans: removed from the app. */
  obsolete: string[];
  manifest: PhaseManifest;
  /** How the user fixes the plan when a target path is unsafe (ends error messages). */
  fixHint: string;
}

/**
 * Writes the phase's files into the app root and its private record atomically: every file is
 * staged as a temp file first, then renamed into place; the manifest is written last.
 * It is synchronous, so a termination signal cannot interrupt it halfway.
 */
export function commitPhase(request: CommitRequest): void {
  const { workspaceRoot, appRoot, phaseNumber, snapshotRoot, written } = request;
  const appRootAbs = join(workspaceRoot, appRoot);
  for (const file of [...written, ...request.obsolete]) assertRealFilePath(appRootAbs, file, request.fixHint);
  assertRealRecordFolder(appRootAbs, appRoot, phaseNumber);
  removeDeadLeftovers(appRootAbs, [...written.map(parentFolder), phaseRecordPathInApp(phaseNumber)]);
  const suffix = commitSuffix();
  const recordDir = phaseRecordFilesDir(workspaceRoot, appRoot, phaseNumber);
  const recordStaging = stagingPathFor(recordDir, suffix);
  const staged: Array<[temp: string, target: string]> = [];
  try {
    for (const file of written) {
      const content = readFileSync(join(snapshotRoot, file));
      const target = join(workspaceRoot, appRoot, file);
      staged.push([stageFile(target, content, suffix), target]);
      writeFileWithDirs(join(recordStaging, file), content);
    }
  } catch (error) {
    discard([...staged.map(([temp]) => temp), recordStaging]);
    throw error;
  }
  const manifestPath = phaseManifestPath(workspaceRoot, appRoot, phaseNumber);
  rmSync(manifestPath, { force: true });
  renameAll(staged, recordStaging);
  for (const file of request.obsolete) rmSync(join(appRootAbs, file), { force: true });
  rmSync(recordDir, { recursive: true, force: true });
  mkdirSync(recordStaging, { recursive: true });
  renameSync(recordStaging, recordDir);
  writeFileAtomically(phaseSnapshotDigestPath(workspaceRoot, appRoot, phaseNumber), `${request.manifest.snapshotHash}\n`);
  writeFileAtomically(manifestPath, JSON.stringify(request.manifest, null, 2) + '\n');
}

/** Checks that `.phases`, `.phases/<n>`, its `files/` and its manifest and digest files are real, so nothing lands outside the app root. */
function assertRealRecordFolder(appRootAbs: string, appRoot: string, phaseNumber: number): void {
  const fix = `Fix: make ${JSON.stringify(phaseRecordRoot(appRoot, phaseNumber))} a real folder inside the app root (no symlink on the way), then run the phase again.`;
  assertRealFolderPath(appRootAbs, phaseRecordPathInApp(phaseNumber, RECORD_FILES_DIR), fix);
  assertRealFilePath(appRootAbs, phaseRecordPathInApp(phaseNumber, MANIFEST_FILE), fix);
  assertRealFilePath(appRootAbs, phaseRecordPathInApp(phaseNumber, SNAPSHOT_DIGEST_FILE), fix);
}

/** The app-root-relative folder holding a file (`''` for the app root itself). */
function parentFolder(file: string): string {
  const folder = posix.dirname(file);
  return folder === '.' ? '' : folder;
}

/** Renames every staged file into place; on failure removes what is still staged before rethrowing. */
function renameAll(staged: Array<[temp: string, target: string]>, recordStaging: string): void {
  let done = 0;
  try {
    for (const [temp, target] of staged) {
      renameSync(temp, target);
      done++;
    }
  } catch (error) {
    discard([...staged.slice(done).map(([temp]) => temp), recordStaging]);
    throw error;
  }
}

/** Writes one file via a temp file and a rename, creating parent folders. */
export function writeFileAtomically(target: string, content: string | Buffer): void {
  const temp = stageFile(target, content, commitSuffix());
  renameSync(temp, target);
}

function stageFile(target: string, content: string | Buffer, suffix: string): string {
  const temp = tempPathFor(target, suffix);
  writeFileWithDirs(temp, content);
  return temp;
}

function writeFileWithDirs(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function discard(paths: string[]): void {
  for (const path of paths) rmSync(path, { recursive: true, force: true });
}
