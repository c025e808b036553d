import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { hasExecuteBit } from './file-mode';
import { sha256 } from './hash';

/** A file found in a folder: a regular file with its hash and whether it is executable, or a symlink (never followed). */
export interface WalkedFile {
  path: string;
  kind: 'file' | 'symlink';
  hash: string;
  /** True for a regular file with an execute bit set (`bin/tool`, mode 0755). */
  executable: boolean;
}

/** Lists every file below `root` (POSIX relative paths, sorted), hashing regular files and flagging symlinks. */
export function walkFiles(root: string): Map<string, WalkedFile> {
  const found = new Map<string, WalkedFile>();
  const visit = (relDir: string) => {
    for (const entry of readdirSync(join(root, relDir), { withFileTypes: true })) {
      const rel = relDir ? posix.join(relDir, entry.name) : entry.name;
      const abs = join(root, rel);
      const stat = lstatSync(abs);
      if (stat.isSymbolicLink()) found.set(rel, { path: rel, kind: 'symlink', hash: '', executable: false });
      else if (stat.isDirectory()) visit(rel);
      else if (stat.isFile()) found.set(rel, { path: rel, kind: 'file', hash: sha256(readFileSync(abs)), executable: hasExecuteBit(stat.mode) });
    }
  };
  visit('');
  return new Map([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
