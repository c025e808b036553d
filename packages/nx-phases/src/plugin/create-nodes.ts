import { existsSync, readFileSync } from 'node:fs';
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
import { PLAN_FILE } from '../constants';
import { CODE_VERSION } from '../code-version';
import { lockfileStamp } from './generator-version';
import { hashValue } from '../runtime/hash';
import { parsePlanText, rememberResolvedPlan } from '../runtime/load-plan';
import { workspaceDataPath } from '../runtime/workspace-data';
import { normalizePluginOptions, type NormalizedPluginOptions, type NxPhasesPluginOptions } from './options';
import { planNodes, planNodesInput } from './plan-nodes';
import { ProjectNameRegistry } from './project-names';

type ResultsCache = Record<string, CreateNodesResult>;

/** Infers one project per phase (and the app root's aggregate target) from every `phases.json`. */
export const createNodes: CreateNodesV2<NxPhasesPluginOptions> = [
  `**/${PLAN_FILE}`,
  async (planFiles, rawOptions, context) => {
    const options = normalizePluginOptions(rawOptions);
    const cachePath = workspaceDataPath(context.workspaceRoot, `create-nodes-${hashValue(options).slice(0, 16)}.json`);
    const previous = readCache(cachePath);
    const current: ResultsCache = {};
    const seenPlanNames = new Map<string, string>();
    const projectNames = new ProjectNameRegistry();
    try {
      return await createNodesFromFiles(
        (planFile, _opts, ctx) => nodesForPlanFile(planFile, options, ctx, { previous, current }, { seenPlanNames, projectNames }),
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
  seen: { seenPlanNames: Map<string, string>; projectNames: ProjectNameRegistry },
): CreateNodesResult {
  const text = readFileSync(join(context.workspaceRoot, planFile), 'utf8');
  const appRoot = posix.dirname(planFile);
  const existingProjectName = readExistingProjectName(context.workspaceRoot, appRoot);
  const key = hashValue({ text, planFile, existingProjectName, options, version: CODE_VERSION, lockfile: lockfileStamp(context.workspaceRoot) });
  const result = cache.previous[key] ?? computeNodes(text, planFile, options, existingProjectName, context.workspaceRoot);
  cache.current[key] = result;
  assertUniquePlanName(result, planFile, seen.seenPlanNames);
  seen.projectNames.claim(planFile, text, result);
  return result;
}

function computeNodes(
  text: string,
  planFile: string,
  options: NormalizedPluginOptions,
  existingProjectName: string | undefined,
  workspaceRoot: string,
): CreateNodesResult {
  const loaded = parsePlanText(text, planFile);
  rememberResolvedPlan(workspaceRoot, text, loaded);
  for (const edge of loaded.plan.addedEdges) logger.warn(`nx-phases: ${planFile}: ${edge.reason}`);
  return planNodes(planNodesInput(loaded, options, existingProjectName, workspaceRoot));
}

function readExistingProjectName(workspaceRoot: string, appRoot: string): string | undefined {
  const projectJson = join(workspaceRoot, appRoot, 'project.json');
  if (!existsSync(projectJson)) return undefined;
  return readJsonFile<{ name?: string }>(projectJson).name ?? posix.basename(appRoot);
}

function assertUniquePlanName(result: CreateNodesResult, planFile: string, seen: Map<string, string>): void {
  const tag = Object.values(result.projects ?? {})
    .flatMap((project) => project.tags ?? [])
    .find((t) => t.startsWith(PLAN_TAG_PREFIX));
  if (!tag) return;
  const name = tag.slice(PLAN_TAG_PREFIX.length);
  const other = seen.get(name);
  if (other) {
    throw new Error(`${planFile}: "name": "${name}" is already used by ${other}. Fix: give each plan a unique "name".`);
  }
  seen.set(name, planFile);
}

const PLAN_TAG_PREFIX = 'phase-plan:';

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
