import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { pathEscape } from '../plan/path-escape';

/** Thrown when a path inside the app root passes through a symlink or has the wrong kind of entry. */
export class UnsafePathError extends Error {}

/**
 * Checks that `relativePath` under `appRootAbs` stays inside it (not absolute, no `..` segment: `pathEscape`) and
 * reaches a regular file (or nothing yet) through real folders only: no segment may be a symlink (which could lead
 * outside the app root) and no existing segment may be a file where a folder is needed, or a folder where the file
 * goes. `fix` ends the message.
 */
export function assertRealFilePath(appRootAbs: string, relativePath: string, fix: string): void {
  assertRealPath(appRootAbs, relativePath, 'file', fix);
}

/**
 * Checks that `relativePath` under `appRootAbs` stays inside it and is a real folder (or nothing yet) reached through
 * real folders only, e.g. `.phases/3/files` before it is replaced: a symlink anywhere on the way could point outside.
 */
export function assertRealFolderPath(appRootAbs: string, relativePath: string, fix: string): void {
  assertRealPath(appRootAbs, relativePath, 'folder', fix);
}

function assertRealPath(appRootAbs: string, relativePath: string, kind: 'file' | 'folder', fix: string): void {
  const shown = JSON.stringify(relativePath);
  const escape = pathEscape(relativePath);
  if (escape === 'absolute') throw new UnsafePathError(`${shown} is an absolute path and could leave the app root. ${fix}`);
  if (escape === 'parent-segment') throw new UnsafePathError(`${shown} contains a ".." segment and could leave the app root. ${fix}`);
  const segments = relativePath.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const partial = segments.slice(0, depth).join('/');
    const stat = lstatOrUndefined(join(appRootAbs, partial));
    if (!stat) return;
    const isLast = depth === segments.length;
    if (stat.isSymbolicLink()) {
      throw new UnsafePathError(`${JSON.stringify(partial)} is a symlink, so ${shown} could land outside the app root. ${fix}`);
    }
    if (!isLast && !stat.isDirectory()) throw new UnsafePathError(`${JSON.stringify(partial)} is a file, but ${shown} needs it to be a folder. ${fix}`);
    if (isLast && kind === 'file' && !stat.isFile()) throw new UnsafePathError(`${shown} exists and is not a regular file. ${fix}`);
    if (isLast && kind === 'folder' && !stat.isDirectory()) throw new UnsafePathError(`${shown} exists and is not a folder. ${fix}`);
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
