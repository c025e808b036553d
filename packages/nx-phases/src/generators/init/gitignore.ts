import type { Tree } from '@nx/devkit';

/**
 * What the plugin (and Nx under it) writes that belongs to one machine, never to git: the run reports and baselines
 * (`.nx/nx-phases`), the locks, run records and createNodes cache in Nx's workspace data, and Nx's local cache.
 */
export const IGNORED_PATHS = ['.nx/nx-phases', '.nx/workspace-data', '.nx/cache'];

const HEADER = '# nx-phases: local run reports, locks and caches (see "What to commit" in the nx-phases README)';

/** What a `.gitignore` that init creates starts with: a workspace without one would otherwise commit its dependencies. */
const NEW_FILE_START = 'node_modules\n';

/**
 * Adds the paths of `IGNORED_PATHS` that `.gitignore` does not ignore yet, under one comment line; a missing file is
 * created with `node_modules` first. Running it again changes nothing. Returns the paths it added.
 */
export function ignoreGeneratedPaths(tree: Tree): string[] {
  const existing = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf8') ?? '' : NEW_FILE_START;
  const patterns = new Set(existing.split(/\r?\n/).map(normalizePattern).filter((line) => line !== ''));
  const missing = IGNORED_PATHS.filter((path) => !isIgnoredBy(patterns, path));
  if (missing.length === 0) return [];
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const blankLine = existing.trim() === '' ? '' : '\n';
  tree.write('.gitignore', `${existing}${separator}${blankLine}${HEADER}\n${missing.join('\n')}\n`);
  return missing;
}

/** `/.nx/cache/` → `.nx/cache`; comments and negations are left out (they never make a path ignored). */
function normalizePattern(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('#') || trimmed.startsWith('!')) return '';
  return trimmed.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** True when the path itself or one of its parent folders is listed (`.nx` covers `.nx/cache`). */
function isIgnoredBy(patterns: Set<string>, path: string): boolean {
  const parts = path.split('/');
  return parts.some((_, i) => patterns.has(parts.slice(0, i + 1).join('/')));
}
