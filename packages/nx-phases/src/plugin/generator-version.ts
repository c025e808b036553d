import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The version of the package a `"pkg:name"` generator comes from, so upgrading it invalidates the phases
 * it wrote. Built-in generators are covered by the plugin's own version. Memoised per workspace, package
 * and lockfile state, so an install is noticed even by a long-running daemon.
 */
export function generatorPackageVersion(use: string, workspaceRoot: string): string | undefined {
  const pkg = use.slice(0, use.lastIndexOf(':'));
  if (pkg === 'nx-phases') return undefined;
  const key = `${workspaceRoot}\n${pkg}\n${lockfileStamp(workspaceRoot)}`;
  if (!versions.has(key)) versions.set(key, readVersion(pkg, workspaceRoot));
  return versions.get(key);
}

/**
 * Size and modification time of the workspace's lockfile(s): a memo key only (here and for createNodes'
 * local results cache), so an install is noticed; never part of a task hash, which gets the version itself.
 */
export function lockfileStamp(workspaceRoot: string): string {
  return LOCKFILES.map((name) => {
    try {
      const stat = statSync(join(workspaceRoot, name));
      return `${name}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return '';
    }
  }).join('|');
}

const LOCKFILES = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];
const versions = new Map<string, string>();

function readVersion(pkg: string, workspaceRoot: string): string {
  try {
    const path = require.resolve(`${pkg}/package.json`, { paths: [workspaceRoot] });
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unversioned';
  } catch {
    return 'not installed';
  }
}
