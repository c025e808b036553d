import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Tree } from '@nx/devkit';
import { ensureTypeScriptRequire } from './typescript-require';

/** An Nx generator function, as every phase generator is. */
export type GeneratorFunction = (tree: Tree, options: Record<string, unknown>) => unknown;

/** Thrown when `"pkg:name"` does not resolve to a generator. */
export class GeneratorResolutionError extends Error {}

interface GeneratorEntry {
  factory?: string;
  implementation?: string;
  aliases?: string[];
}

/** Resolves `"pkg:name"` through the package's `generators.json`, the way `nx g` does. */
export function resolveGenerator(use: string, workspaceRoot: string, planFile: string): GeneratorFunction {
  const split = use.lastIndexOf(':');
  const pkg = use.slice(0, split);
  const name = use.slice(split + 1);
  const packageJsonPath = findPackageJson(pkg, workspaceRoot, use, planFile);
  const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { generators?: string; schematics?: string };
  const collectionFile = packageJson.generators ?? packageJson.schematics;
  if (!collectionFile) {
    throw new GeneratorResolutionError(`Package ${pkg} has no "generators" entry in its package.json, so "${use}" (in ${planFile}) cannot be used as a phase generator.`);
  }
  const collectionPath = resolve(dirname(packageJsonPath), collectionFile);
  const collection = JSON.parse(readFileSync(collectionPath, 'utf8')) as Record<string, Record<string, GeneratorEntry> | undefined>;
  const entries = { ...collection.schematics, ...collection.generators };
  const entry = entries[name] ?? Object.values(entries).find((e) => e.aliases?.includes(name));
  const factory = entry?.factory ?? entry?.implementation;
  if (!factory) {
    const available = Object.keys(entries).sort().join(', ') || 'none';
    throw new GeneratorResolutionError(`Package ${pkg} has no generator named "${name}" (used in ${planFile}). Available: ${available}.`);
  }
  return loadFactory(resolve(dirname(collectionPath), factory), use, workspaceRoot);
}

function findPackageJson(pkg: string, workspaceRoot: string, use: string, planFile: string): string {
  if (pkg === 'nx-phases') {
    const own = join(__dirname, '..', '..', 'package.json');
    if (existsSync(own)) return own;
  }
  try {
    return require.resolve(`${pkg}/package.json`, { paths: [workspaceRoot] });
  } catch {
    throw new GeneratorResolutionError(
      `Cannot find package "${pkg}" for generator "${use}" (used in ${planFile}). Install it in the workspace (npm i -D ${pkg}) or fix the generator name.`,
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
    throw new GeneratorResolutionError(`The factory of "${use}" (${modulePath}) does not export a generator function.`);
  }
  return candidate as GeneratorFunction;
}

/** Finds the factory file as `nx g` would: with a `.js` or `.ts` extension (sources of a local plugin), or as written. */
function withExtension(modulePath: string, use: string): string {
  const found = ['.js', '.ts', '', '/index.js', '/index.ts']
    .map((ext) => modulePath + ext)
    .find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new GeneratorResolutionError(`The factory of "${use}" points to ${modulePath}, which does not exist.`);
  return found;
}
