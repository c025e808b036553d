import { lstatSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when a path inside the app root passes through a symlink or has the wrong kind of entry. */
export class UnsafePathError extends Error {}

/**
 * Checks that `relativePath` under `appRootAbs` reaches a regular file (or nothing yet) through real
 * folders only: no segment may be a symlink (which could lead outside the app root) and no existing
 * segment may be a file where a folder is needed, or a folder where the file goes. `fix` ends the message.
 */
export function assertRealFilePath(appRootAbs: string, relativePath: string, fix: string): void {
  const segments = relativePath.split('/');
  for (let depth = 1; depth <= segments.length; depth++) {
    const partial = segments.slice(0, depth).join('/');
    const stat = lstatOrUndefined(join(appRootAbs, partial));
    if (!stat) return;
    const isLast = depth === segments.length;
    if (stat.isSymbolicLink()) throw new UnsafePathError(`${partial} is a symlink, so ${relativePath} could land outside the app root. ${fix}`);
    if (!isLast && !stat.isDirectory()) throw new UnsafePathError(`${partial} is a file, but ${relativePath} needs it to be a folder. ${fix}`);
    if (isLast && !stat.isFile()) throw new UnsafePathError(`${relativePath} exists and is not a regular file. ${fix}`);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
