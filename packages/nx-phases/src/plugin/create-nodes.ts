import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  createNodesFromFiles,
  logger,
  readJsonFile,
  writeJsonFile,
  type CreateNodesContextV2,
  type CreateNodesResult,
  type CreateNodesV2,
} from '@nx/devkit';
import { PLAN_FILE, PLUGIN_VERSION } from '../constants';
import { hashValue } from '../runtime/hash';
import { parsePlanText } from '../runtime/load-plan';
import { workspaceDataPath } from '../runtime/workspace-data';
import { normalizePluginOptions, type NormalizedPluginOptions, type NxPhasesPluginOptions } from './options';
import { planNodes, planNodesInput } from './plan-nodes';

type ResultsCache = Record<string, CreateNodesResult>;

/**
 * The plugin version; when running from TypeScript sources (this repo), also the sources' modification
 * times, since the code can change without a version bump.
 */
const CODE_VERSION = __filename.endsWith('.ts') ? `${PLUGIN_VERSION}+${sourceTimestamps()}` : PLUGIN_VERSION;

function sourceTimestamps(): string {
  const srcRoot = join(__dirname, '..');
  return ['plugin', 'plan', 'runtime']
    .flatMap((dir) => readdirSync(join(srcRoot, dir)).map((file) => statSync(join(srcRoot, dir, file)).mtimeMs))
    .reduce((a, b) => Math.max(a, b), 0)
    .toString();
}

/** Infers one project per phase (and the app root's aggregate target) from every `phases.json`. */
export const createNodes: CreateNodesV2<NxPhasesPluginOptions> = [
  `**/${PLAN_FILE}`,
  async (planFiles, rawOptions, context) => {
    const options = normalizePluginOptions(rawOptions);
    const cachePath = workspaceDataPath(context.workspaceRoot, `create-nodes-${hashValue(options).slice(0, 16)}.json`);
    const previous = readCache(cachePath);
    const current: ResultsCache = {};
    const seenPlanNames = new Map<string, string>();
    try {
      return await createNodesFromFiles(
        (planFile, _opts, ctx) => nodesForPlanFile(planFile, options, ctx, { previous, current }, seenPlanNames),
        planFiles,
        rawOptions,
        context,
      );
    } finally {
      writeCache(cachePath, current);
    }
  },
];

/** Same as `createNodes`; the name older Nx versions look for. */
export const createNodesV2 = createNodes;

function nodesForPlanFile(
  planFile: string,
  options: NormalizedPluginOptions,
  context: CreateNodesContextV2,
  cache: { previous: ResultsCache; current: ResultsCache },
  seenPlanNames: Map<string, string>,
): CreateNodesResult {
  const text = readFileSync(join(context.workspaceRoot, planFile), 'utf8');
  const appRoot = posix.dirname(planFile);
  const existingProjectName = readExistingProjectName(context.workspaceRoot, appRoot);
  const key = hashValue({ text, planFile, existingProjectName, options, version: CODE_VERSION });
  const result = cache.previous[key] ?? computeNodes(text, planFile, options, existingProjectName);
  cache.current[key] = result;
  assertUniquePlanName(result, planFile, seenPlanNames);
  return result;
}

function computeNodes(
  text: string,
  planFile: string,
  options: NormalizedPluginOptions,
  existingProjectName: string | undefined,
): CreateNodesResult {
  const loaded = parsePlanText(text, planFile);
  for (const edge of loaded.plan.addedEdges) logger.warn(`nx-phases: ${planFile}: ${edge.reason}`);
  return planNodes(planNodesInput(loaded, options, existingProjectName));
}

function readExistingProjectName(workspaceRoot: string, appRoot: string): string | undefined {
  const projectJson = join(workspaceRoot, appRoot, 'project.json');
  if (!existsSync(projectJson)) return undefined;
  return readJsonFile<{ name?: string }>(projectJson).name ?? posix.basename(appRoot);
}

function assertUniquePlanName(result: CreateNodesResult, planFile: string, seen: Map<string, string>): void {
  const planProject = Object.values(result.projects ?? {}).find((p) => p.tags?.includes('nx-phases-plan'));
  const name = planProject?.name;
  if (!name) return;
  const other = seen.get(name);
  if (other) {
    throw new Error(`${planFile}: "name": "${name}" is already used by ${other}. Fix: give each plan a unique "name".`);
  }
  seen.set(name, planFile);
}

function readCache(path: string): ResultsCache {
  try {
    return existsSync(path) ? readJsonFile<ResultsCache>(path) : {};
  } catch {
    return {};
  }
}

function writeCache(path: string, cache: ResultsCache): void {
  try {
    writeJsonFile(path, cache);
  } catch {
    // A cache that cannot be written only costs a re-parse next time.
  }
}
