import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Every regular file below `root` (POSIX relative path → content), sorted by path. */
export function readFolder(root: string, exclude: (path: string) => boolean = () => false): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const visit = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? posix.join(rel, name) : name;
      if (exclude(path)) continue;
      const stat = lstatSync(join(root, path));
      if (stat.isDirectory()) visit(path);
      else files.set(path, readFileSync(join(root, path)));
    }
  };
  if (existsSync(root)) visit('');
  return files;
}

/** The sorted relative paths of every file below `root`. */
export function listFiles(root: string, exclude?: (path: string) => boolean): string[] {
  return [...readFolder(root, exclude).keys()];
}

/** A folder as `path → utf8 content`, so a failed `toEqual` shows a readable diff. */
export function describeFolder(files: Map<string, Buffer>): Record<string, string> {
  return Object.fromEntries([...files].map(([path, content]) => [path, content.toString('utf8')]));
}
