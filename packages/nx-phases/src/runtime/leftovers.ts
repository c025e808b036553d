import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { RECORD_FILES_DIR } from '../constants';
import { isProcessDead } from './rate-limit/process-alive';
import { assertRealFolderPath } from './real-path-check';

/** Matches a staged temp file, `.<name>.nx-phases-<pid>-<8 hex>.tmp`, capturing the pid of the process that made it. */
const TEMP_FILE = /^\..+\.nx-phases-(\d+)-[0-9a-f]{8}\.tmp$/s;

/** Matches a staging copy of a record, `files.staging-<pid>-<8 hex>`, capturing the pid. */
const STAGING_FOLDER = new RegExp(`^${RECORD_FILES_DIR}\\.staging-(\\d+)-[0-9a-f]{8}$`);

/** A unique suffix for one commit's temp names: `<pid>-<8 hex>`, so a sweep can tell whether the owner still runs. */
export function commitSuffix(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** The temp file a commit stages `target` in, next to it: `.<name>.nx-phases-<suffix>.tmp` (see the plan core's COMMIT_TEMP_NAME_EXTRA_BYTES). */
export function tempPathFor(target: string, suffix: string): string {
  return join(dirname(target), `.${basename(target)}.nx-phases-${suffix}.tmp`);
}

/** The staging copy of a phase's record folder `files/`, a sibling of it: `files.staging-<suffix>`. */
export function stagingPathFor(recordFilesDir: string, suffix: string): string {
  return `${recordFilesDir}.staging-${suffix}`;
}

/** The app-root-relative folder holding a file (`''` for the app root itself). */
export function parentFolderOf(file: string): string {
  const folder = posix.dirname(file);
  return folder === '.' ? '' : folder;
}

/**
 * Removes, from each of the given app-root-relative folders (`''` is the app root), the temp files and record
 * staging folders left by processes of this host that provably no longer exist (SIGKILL during a commit).
 * A folder that is missing, or not reached through real folders only (a symlink on the way), is skipped.
 */
export function removeDeadLeftovers(appRootAbs: string, folders: Iterable<string>): void {
  for (const folder of new Set(folders)) {
    if (!isRealFolderInside(appRootAbs, folder)) continue;
    const absolute = join(appRootAbs, folder);
    for (const name of readdirSync(absolute)) {
      const pid = TEMP_FILE.exec(name)?.[1] ?? STAGING_FOLDER.exec(name)?.[1];
      if (pid && isProcessDead(Number(pid))) rmSync(join(absolute, name), { recursive: true, force: true });
    }
  }
}

function isRealFolderInside(appRootAbs: string, folder: string): boolean {
  try {
    if (folder !== '') assertRealFolderPath(appRootAbs, folder, '');
    return lstatSync(join(appRootAbs, folder)).isDirectory();
  } catch {
    return false;
  }
}
