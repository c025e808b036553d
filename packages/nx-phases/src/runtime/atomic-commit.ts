import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONTRIBUTIONS_FILE, EXECUTABLES_FILE, MANIFEST_FILE, RECORD_FILES_DIR, SNAPSHOT_DIGEST_FILE } from '../constants';
import { throwIfCancelled } from './cancellation';
import { flushAll, foldersUpTo, syncFolders, writeFileFlushed, type WriteOptions } from './durable-fs';
import { commitSuffix, parentFolderOf, removeDeadLeftovers, stagingPathFor, tempPathFor } from './leftovers';
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
  /** Written last; its `executable` list says which files get execute bits. */
  manifest: PhaseManifest;
  /** The `contributions.json` text when the phase added to mergeable files; without it a stale one is removed. */
  contributions?: string;
  /** How the user fixes the plan when a target path is unsafe (ends error messages). */
  fixHint: string;
  /** fsync files and folders before the manifest is written (default true; false only to measure its cost). */
  durable?: boolean;
}

/**
 * Writes the phase's files into the app root and its private record atomically and durably: every file is
 * staged as a temp file (next to its target, and in a staging copy of the record) and fsynced, many at once;
 * then, synchronously, so a termination signal cannot interrupt it halfway, the files are renamed into place,
 * the folders they were renamed into are fsynced, and the snapshot digest and the manifest are written, the
 * manifest last, as git and SQLite do: after a power loss a manifest never describes files that are empty or
 * missing. A cancellation while staging removes the staged files and commits nothing.
 */
export async function commitPhase(request: CommitRequest): Promise<void> {
  const { workspaceRoot, appRoot, phaseNumber, snapshotRoot, written } = request;
  const appRootAbs = join(workspaceRoot, appRoot);
  const durable = request.durable !== false;
  for (const file of [...written, ...request.obsolete]) assertRealFilePath(appRootAbs, file, request.fixHint);
  assertRealRecordFolder(appRootAbs, appRoot, phaseNumber);
  removeDeadLeftovers(appRootAbs, [...written.map(parentFolderOf), phaseRecordPathInApp(phaseNumber)]);
  const suffix = commitSuffix();
  const recordDir = phaseRecordFilesDir(workspaceRoot, appRoot, phaseNumber);
  const recordStaging = stagingPathFor(recordDir, suffix);
  const executable = new Set(request.manifest.executable ?? []);
  const executablesList = join(appRootAbs, phaseRecordPathInApp(phaseNumber, EXECUTABLES_FILE));
  const contributionsFile = join(appRootAbs, phaseRecordPathInApp(phaseNumber, CONTRIBUTIONS_FILE));
  const staged: Array<[temp: string, target: string]> = [];
  const toFlush = new Set<string>([recordStaging]);
  const stage = (target: string, content: string | Buffer, isExecutable = false) => {
    const temp = tempPathFor(target, suffix);
    writeFileFlushed(temp, content, { executable: isExecutable });
    staged.push([temp, target]);
    toFlush.add(temp);
  };
  try {
    mkdirSync(recordStaging, { recursive: true }); // flushed even when the phase wrote no file
    for (const file of written) {
      const content = readFileSync(join(snapshotRoot, file));
      stage(join(appRootAbs, file), content, executable.has(file));
      const copy = join(recordStaging, file);
      writeFileFlushed(copy, content, { executable: executable.has(file) });
      for (const path of [copy, ...foldersUpTo(recordStaging, copy)]) toFlush.add(path);
    }
    stage(phaseSnapshotDigestPath(workspaceRoot, appRoot, phaseNumber), `${request.manifest.snapshotHash}\n`);
    // Dependents hash this list with the record, so a change of only an execute bit re-keys them.
    if (executable.size > 0) stage(executablesList, `${[...executable].sort().join('\n')}\n`);
    if (request.contributions !== undefined) stage(contributionsFile, request.contributions);
    if (durable) await flushAll(toFlush);
    throwIfCancelled();
  } catch (error) {
    discard([...staged.map(([temp]) => temp), recordStaging]);
    throw error;
  }
  const manifestPath = phaseManifestPath(workspaceRoot, appRoot, phaseNumber);
  rmSync(manifestPath, { force: true });
  if (executable.size === 0) rmSync(executablesList, { force: true });
  if (request.contributions === undefined) rmSync(contributionsFile, { force: true });
  renameAll(staged, recordStaging);
  for (const file of request.obsolete) rmSync(join(appRootAbs, file), { force: true });
  rmSync(recordDir, { recursive: true, force: true });
  mkdirSync(recordStaging, { recursive: true });
  renameSync(recordStaging, recordDir);
  if (durable) {
    const changed = [...staged.map(([, target]) => target), recordDir];
    syncFolders(changed.flatMap((path) => foldersUpTo(appRootAbs, path)));
    // An obsolete file's folder may have been deleted by hand meanwhile: not an error, its remaining parents are flushed.
    syncFolders(request.obsolete.flatMap((file) => foldersUpTo(appRootAbs, join(appRootAbs, file))), true);
  }
  writeFileAtomically(manifestPath, JSON.stringify(request.manifest, null, 2) + '\n', { durable });
}

/** Checks that `.phases`, `.phases/<n>`, its `files/` and its manifest and digest files are real, so nothing lands outside the app root. */
function assertRealRecordFolder(appRootAbs: string, appRoot: string, phaseNumber: number): void {
  const fix = `Fix: make ${JSON.stringify(phaseRecordRoot(appRoot, phaseNumber))} a real folder inside the app root (no symlink on the way), then run the phase again.`;
  assertRealFolderPath(appRootAbs, phaseRecordPathInApp(phaseNumber, RECORD_FILES_DIR), fix);
  for (const file of [MANIFEST_FILE, SNAPSHOT_DIGEST_FILE, EXECUTABLES_FILE, CONTRIBUTIONS_FILE]) assertRealFilePath(appRootAbs, phaseRecordPathInApp(phaseNumber, file), fix);
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

/**
 * Writes one file via a temp file and a rename, creating parent folders. With `durable`, the temp file is
 * fsynced before the rename and the folder after it. A write that fails (a full disk) removes its temp file.
 */
export function writeFileAtomically(target: string, content: string | Buffer, options: WriteOptions = {}): void {
  const temp = tempPathFor(target, commitSuffix());
  try {
    writeFileFlushed(temp, content, options);
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never made (its folder could not be), or already renamed: the first error is the one to report
    }
    throw error;
  }
  if (options.durable) syncFolders([dirname(target)]);
}

function discard(paths: string[]): void {
  for (const path of paths) rmSync(path, { recursive: true, force: true });
}
