/// <reference types="jest" />
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { loadState } from './e2e-state';

/**
 * A folder outside every workspace that hostile inputs aim at (a victim file to delete, folders to write into).
 * Tests list it before and after each case: the listing (path, kind, mode, sha256 or link target) must not change.
 */
export interface Sentinel {
  root: string;
  /** A file a tampered manifest tries to delete. */
  victim: string;
  /** Its content (whose sha256 a tampered manifest records, so only the path rule can stop the deletion). */
  victimContent: string;
  /** A folder a symlinked `.phases` or `.phases/<n>` points at. */
  records: string;
  /** Every entry below `root`, sorted: `path kind mode sha256|target`. */
  listing(): string[];
}

/** Creates the sentinel folder with a victim file, a record-like folder holding an important file, and a nested file. */
export function createSentinel(root: string): Sentinel {
  const victimContent = 'precious: must never be deleted or changed\n';
  mkdirSync(join(root, 'records', 'files'), { recursive: true });
  mkdirSync(join(root, 'nested', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'victim.txt'), victimContent);
  writeFileSync(join(root, 'records', 'files', 'important.txt'), 'important\n');
  writeFileSync(join(root, 'records', 'manifest.json'), '{"not":"a manifest"}\n');
  writeFileSync(join(root, 'nested', 'deeper', 'file.txt'), 'nested\n');
  return { root, victim: join(root, 'victim.txt'), victimContent, records: join(root, 'records'), listing: () => listFolder(root) };
}

/** `path kind mode content-hash` lines for every entry below `root` (symlinks listed with their target, never followed). */
export function listFolder(root: string): string[] {
  const lines: string[] = [];
  const visit = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? posix.join(rel, name) : name;
      const abs = join(root, path);
      const stat = lstatSync(abs);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isSymbolicLink()) lines.push(`${path} symlink ${mode} -> ${readlinkSync(abs)}`);
      else if (stat.isDirectory()) {
        lines.push(`${path} folder ${mode}`);
        visit(path);
      } else lines.push(`${path} file ${mode} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`);
    }
  };
  if (existsSync(root)) visit('');
  return lines;
}

/**
 * Registers jest hooks around the calling `describe`: creates the sentinel `<suite temp>/sentinels/<name>` before
 * all, asserts after each test that its listing equals the one before it, and after all that it equals the start.
 * Returns an accessor for the sentinel (available from `beforeAll` on).
 */
export function guardSentinel(name: string): () => Sentinel {
  let sentinel: Sentinel | undefined;
  let initial: string[] = [];
  let before: string[] = [];
  beforeAll(() => {
    sentinel = createSentinel(join(loadState().tempRoot, 'sentinels', name));
    initial = sentinel.listing();
  });
  beforeEach(() => (before = sentinel!.listing()));
  afterEach(() => expect(sentinel!.listing()).toEqual(before));
  afterAll(() => expect(sentinel!.listing()).toEqual(initial));
  return () => sentinel!;
}
