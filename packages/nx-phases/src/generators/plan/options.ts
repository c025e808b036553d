import { toKebabCase } from '../../plan';
import { PlanOptionsError } from './errors';
import type { PlanGeneratorOptions } from './schema';

/** Planner options after validation: a clean app root and a de-duplicated, trimmed feature list. */
export interface NormalizedPlanOptions {
  name: string;
  /** Workspace-relative POSIX folder without `./` or a trailing slash, e.g. `apps/shop`. */
  directory: string;
  features: string[];
  auth: boolean;
  database: boolean;
  /** Declare the wiring files mergeable (see `WIRING_FILES`). */
  merge: boolean;
  generator: string;
}

/** Phase names the planner adds itself; a feature may not take one. */
const BUILT_IN_PHASES = ['Setup', 'Database', 'Auth', 'Polish'];

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const SEGMENT_PATTERN = /^[A-Za-z0-9_@][A-Za-z0-9._@-]*$/;
const FORBIDDEN_FOLDERS = ['node_modules', '.git', '.nx', 'dist', '.phases'];

/** Validates and normalises the options; throws `PlanOptionsError` naming the fix. */
export function normalizePlanOptions(options: PlanGeneratorOptions): NormalizedPlanOptions {
  const name = checkName(options.name);
  return {
    name,
    directory: normalizeDirectory(options.directory ?? `apps/${name}`),
    features: parseFeatures(options.features),
    auth: options.auth ?? false,
    database: options.database ?? false,
    merge: options.merge ?? true,
    generator: options.generator ?? 'nx-phases:scaffold',
  };
}

function checkName(name: string | undefined): string {
  if (typeof name === 'string' && NAME_PATTERN.test(name)) return name;
  const suggestion = toKebabCase(name ?? '') || 'shop';
  throw new PlanOptionsError(
    `the plan name ${JSON.stringify(name ?? '')} is not lowercase letters, digits and hyphens starting with a letter. Pass e.g. "${/^[a-z]/.test(suggestion) ? suggestion : 'shop'}".`,
  );
}

/**
 * Accepts one form: a workspace-relative folder of plain segments (`apps/shop`, `./apps/shop/`).
 * Absolute paths, `~`, `..`, backslashes, URLs, globs and tool folders are unknown forms.
 */
function normalizeDirectory(raw: string): string {
  const trimmed = raw.trim();
  const segments = trimmed.split('/').filter((segment, index) => segment !== '' && !(index === 0 && segment === '.'));
  const why = unknownFormReason(trimmed, segments);
  if (why) {
    throw new PlanOptionsError(
      `unknown --directory form ${JSON.stringify(raw)}: ${why}. Pass a folder relative to the workspace root, e.g. --directory=apps/shop.`,
    );
  }
  return segments.join('/');
}

function unknownFormReason(raw: string, segments: string[]): string | undefined {
  if (raw === '' || segments.length === 0) return 'it names no folder (a plan at the workspace root would overwrite its package.json and tsconfig.json)';
  if (raw.includes('\\')) return 'it contains a backslash (use forward slashes)';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw)) return 'it looks like a URL or a drive letter';
  if (raw.startsWith('/')) return 'it is an absolute path';
  if (raw.startsWith('~')) return 'it starts with ~ (home folders are not expanded)';
  if (segments.includes('..')) return 'it contains ".." and could leave the workspace';
  const forbidden = segments.find((segment) => FORBIDDEN_FOLDERS.includes(segment.toLowerCase()));
  if (forbidden) return `it points into ${forbidden}/, which tools own`;
  const odd = segments.find((segment) => !SEGMENT_PATTERN.test(segment));
  if (odd) return `the segment ${JSON.stringify(odd)} has characters other than letters, digits, ".", "_", "@" and "-"`;
  return undefined;
}

function parseFeatures(raw: string | string[] | undefined): string[] {
  const list = (Array.isArray(raw) ? raw : (raw ?? '').split(',')).map((f) => f.trim().replace(/\s+/g, ' ')).filter((f) => f !== '');
  if (list.length === 0) {
    throw new PlanOptionsError('the features list is empty. Pass at least one, e.g. --features="Product catalog,Shopping cart".');
  }
  const seen = new Map(BUILT_IN_PHASES.map((phase) => [toKebabCase(phase), `the built-in ${phase} phase`]));
  for (const feature of list) {
    const key = toKebabCase(feature);
    if (key === '') throw new PlanOptionsError(`the feature ${JSON.stringify(feature)} has no letters or digits. Rename it.`);
    const earlier = seen.get(key);
    if (earlier) {
      throw new PlanOptionsError(
        `duplicate feature ${JSON.stringify(feature)}: it has the same project name (${key}) as ${earlier}. Remove or rename one${earlier.startsWith('the built-in') ? ' (Setup and Polish are always added; --auth and --database add the others)' : ''}.`,
      );
    }
    seen.set(key, `the feature ${JSON.stringify(feature)}`);
  }
  return list;
}
