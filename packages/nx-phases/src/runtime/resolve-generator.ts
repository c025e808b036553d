import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Tree } from '@nx/devkit';
import { closestName } from '../plan/did-you-mean';
import { ensureTypeScriptRequire } from './typescript-require';

/** An Nx generator function, as every phase generator is. */
export type GeneratorFunction = (tree: Tree, options: Record<string, unknown>) => unknown;

/** Thrown when `"pkg:name"` does not resolve to a generator: what is wrong (`problem`) and what to do (`hint`). */
export class GeneratorResolutionError extends Error {
  constructor(
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`${problem} Fix: ${hint}`);
  }
}

interface GeneratorEntry {
  factory?: string;
  implementation?: string;
  aliases?: string[];
}

/** Resolves `"pkg:name"` through the package's `generators.json`, the way `nx g` does, and loads its factory. */
export function resolveGenerator(use: string, workspaceRoot: string, planFile: string): GeneratorFunction {
  return loadFactory(locateGenerator(use, workspaceRoot, planFile), use, workspaceRoot);
}

/**
 * Finds the factory path of `"pkg:name"` (package, its generator collection, the entry or an alias) without loading
 * or running anything, so a plan can be checked when it loads; throws `GeneratorResolutionError` with a "did you mean".
 */
export function locateGenerator(use: string, workspaceRoot: string, planFile: string): string {
  const split = use.lastIndexOf(':');
  const pkg = use.slice(0, split);
  const name = use.slice(split + 1);
  const packageJsonPath = findPackageJson(pkg, workspaceRoot, use, planFile);
  const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { generators?: string; schematics?: string };
  const collectionFile = packageJson.generators ?? packageJson.schematics;
  if (!collectionFile) {
    throw new GeneratorResolutionError(
      `Package ${pkg} has no "generators" entry in its package.json, so "${use}" (in ${planFile}) cannot be used as a phase generator.`,
      'Name a generator of a package that ships Nx generators, or one of "nx-phases:scaffold", "nx-phases:command", "nx-phases:openai".',
    );
  }
  const collectionPath = resolve(dirname(packageJsonPath), collectionFile);
  const collection = JSON.parse(readFileSync(collectionPath, 'utf8')) as Record<string, Record<string, GeneratorEntry> | undefined>;
  const entries = { ...collection.schematics, ...collection.generators };
  const entry = entries[name] ?? Object.values(entries).find((e) => e.aliases?.includes(name));
  const factory = entry?.factory ?? entry?.implementation;
  if (!factory) {
    const names = Object.keys(entries).sort();
    const suggestion = closestName(name, names);
    throw new GeneratorResolutionError(
      `Package ${pkg} has no generator named "${name}" (used in ${planFile}). Available: ${names.join(', ') || 'none'}.`,
      suggestion ? `Did you mean "${pkg}:${suggestion}"?` : `Name one of the available generators, e.g. "${pkg}:${names[0] ?? 'generator'}".`,
    );
  }
  return resolve(dirname(collectionPath), factory);
}

function findPackageJson(pkg: string, workspaceRoot: string, use: string, planFile: string): string {
  if (pkg === 'nx-phases') {
    const own = join(__dirname, '..', '..', 'package.json');
    if (existsSync(own)) return own;
  }
  // Looked up on disk first: Node's resolver refuses a package whose "exports" hides package.json, and a resolver
  // may remember a package that was missing when a long-lived process (the Nx daemon) first looked.
  for (let dir = resolve(workspaceRoot); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  try {
    return require.resolve(`${pkg}/package.json`, { paths: [workspaceRoot] });
  } catch {
    throw new GeneratorResolutionError(
      `Cannot find package "${pkg}" for generator "${use}" (used in ${planFile}).`,
      `Install it in the workspace (npm i -D ${pkg}) or fix the generator name.`,
    );
  }
}

function loadFactory(factoryPath: string, use: string, workspaceRoot: string): GeneratorFunction {
  const [modulePath, exportName] = factoryPath.split('#');
  const file = withExtension(modulePath, use);
  if (file.endsWith('.ts')) ensureTypeScriptRequire(workspaceRoot);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as Record<string, unknown>;
  const candidate = exportName ? mod[exportName] : (mod.default ?? mod);
  if (typeof candidate !== 'function') {
    throw new GeneratorResolutionError(`The factory of "${use}" (${modulePath}) does not export a generator function.`, `Export the generator function as the default export or as "${exportName ?? 'default'}".`);
  }
  return candidate as GeneratorFunction;
}

/** Finds the factory file as `nx g` would: with a `.js` or `.ts` extension (sources of a local plugin), or as written. */
function withExtension(modulePath: string, use: string): string {
  const found = ['.js', '.ts', '', '/index.js', '/index.ts']
    .map((ext) => modulePath + ext)
    .find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new GeneratorResolutionError(`The factory of "${use}" points to ${modulePath}, which does not exist.`, 'Fix the "factory" entry of the generator collection, or build the package.');
  return found;
}
