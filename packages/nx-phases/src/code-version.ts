import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { PLUGIN_VERSION } from './constants';

/** Top-level files of the package that change what runs (besides `src/` and `schemas/`). */
const PACKAGE_FILES = ['package.json', 'executors.json', 'generators.json'];
/** Folders of the package whose files run or are read at run time. */
const PACKAGE_FOLDERS = ['src', 'schemas'];

/**
 * sha256 (first 16 hex digits) over the relative path and bytes of every file of a package that runs:
 * its package.json, executors.json, generators.json, schemas/ and src/, except tests (`*.spec.*`,
 * `__snapshots__`, `test-utils`) and type declarations (`*.d.ts`).
 */
export function codeContentHash(packageRoot: string): string {
  const hash = createHash('sha256');
  for (const path of codeFiles(packageRoot)) {
    const content = readFileSync(join(packageRoot, path));
    hash.update(`${path}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Package-relative POSIX paths of the files `codeContentHash` covers, sorted. */
export function codeFiles(packageRoot: string): string[] {
  const files = PACKAGE_FILES.filter((name) => existsSync(join(packageRoot, name)));
  for (const folder of PACKAGE_FOLDERS) collect(packageRoot, folder, files);
  return files.sort();
}

function collect(packageRoot: string, relative: string, into: string[]): void {
  const absolute = join(packageRoot, relative);
  if (!existsSync(absolute)) return;
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const path = posix.join(relative, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) collect(packageRoot, path, into);
    } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
      into.push(path);
    }
  }
}

const SKIPPED_FOLDERS = new Set(['__snapshots__', 'test-utils', 'node_modules']);
const SKIPPED_FILE = /\.spec\.[cm]?[jt]s$|\.d\.ts$/;

/**
 * The plugin's code version: its package version plus a content hash of the code that runs (the package
 * folder this module was loaded from: compiled JavaScript when packed or built, TypeScript sources under
 * ts-jest). Content only, never file times or paths, so every clone and every machine computes the same
 * value and shares cache entries, while any code change (templates included) invalidates them.
 * Computed once per process (one read of the ~150 files that run).
 */
export const CODE_VERSION = `${PLUGIN_VERSION}+${codeContentHash(join(__dirname, '..'))}`;
