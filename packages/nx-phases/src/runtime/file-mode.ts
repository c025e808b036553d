import { chmodSync, lstatSync } from 'node:fs';

/** True when any execute bit is set in a file mode. */
export function hasExecuteBit(mode: number): boolean {
  return (mode & 0o111) !== 0;
}

/**
 * Gives a regular file we just wrote execute bits wherever it has read bits (like `chmod +x` under the umask),
 * or takes all of them away. A symlink is never followed or changed.
 */
export function setExecutable(path: string, executable: boolean): void {
  const stat = lstatSync(path);
  if (!stat.isFile()) return;
  const mode = stat.mode & 0o7777;
  const wanted = executable ? mode | ((mode & 0o444) >> 2) : mode & ~0o111;
  if (wanted !== mode) chmodSync(path, wanted);
}
