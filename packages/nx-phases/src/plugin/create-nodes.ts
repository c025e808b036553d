import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  createNodesFromFiles,
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
import { findNestedPlans, formatProblems, PlanError, type PlanProblem } from '../plan';
import { checkExternalGenerators, externalGeneratorRefs, type ExternalGeneratorRef } from './external-generators';
import { brokenPlanNodes, brokenPlanProjectName, readablePlanName } from './broken-plan';
import { workspaceDataPath } from '../runtime/workspace-data';
import { normalizePluginOptions, type NormalizedPluginOptions, type NxPhasesPluginOptions } from './options';
import { planNodes, planNodesInput } from './plan-nodes';
import { runsTarget } from './run-output';
import { nxCommandLine } from '../runtime/nx-command-line';
import { ProjectNameRegistry } from './project-names';

/** Cached per plan: its projects, or the problems that keep it from loading (which depend only on the cache key). */
type CachedResult = { nodes: CreateNodesResult; generators: ExternalGeneratorRef[] } | { planProblems: PlanProblem[] };
type ResultsCache = Record<string, CachedResult>;

/** What one createNodes pass has seen so far across plans. */
interface PassState {
  seenPlanNames: Map<string, string>;
  projectNames: ProjectNameRegistry;
  /** Plan file → why it nests in, or contains, another plan. */
  nested: Map<string, PlanProblem[]>;
}

/**
 * Infers one project per phase (and the app root's aggregate target) from every `phases.json`. A plan that cannot be
 * loaded stays local: its error is printed once per pass, and its project's targets fail with it (see `brokenPlanNodes`),
 * while every other plan and every Nx command keep working.
 */
export const createNodes: CreateNodesV2<NxPhasesPluginOptions> = [
  `**/${PLAN_FILE}`,
  async (planFiles, rawOptions, context) => {
    const options = normalizePluginOptions(rawOptions);
    const cachePath = workspaceDataPath(context.workspaceRoot, `create-nodes-${hashValue(options).slice(0, 16)}.json`);
    const previous = readCache(cachePath);
    const current: ResultsCache = {};
    const pass: PassState = { seenPlanNames: new Map(), projectNames: new ProjectNameRegistry(), nested: findNestedPlans(planFiles) };
    try {
      return await createNodesFromFiles(
        (planFile, _opts, ctx) => nodesForPlanFile(planFile, options, ctx, { previous, current }, pass),
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
  pass: PassState,
): CreateNodesResult {
  const appRoot = posix.dirname(planFile);
  let text = '';
  let existingProjectName: string | undefined;
  try {
    text = readFileSync(join(context.workspaceRoot, planFile), 'utf8');
    existingProjectName = readExistingProjectName(context.workspaceRoot, appRoot);
    const key = hashValue({ text, planFile, existingProjectName, options, version: CODE_VERSION, lockfile: lockfileStamp(context.workspaceRoot) });
    const cached = cache.previous[key] ?? computeOrExplain(text, planFile, options, existingProjectName, context.workspaceRoot);
    cache.current[key] = cached;
    // Generators of other packages are looked up on every pass: installing or editing one changes no cache key input.
    const problems = [
      ...(pass.nested.get(planFile) ?? []),
      ...('planProblems' in cached ? cached.planProblems : checkExternalGenerators(cached.generators, context.workspaceRoot, planFile)),
    ];
    if (problems.length > 0 || 'planProblems' in cached) return brokenPlan(formatProblems(problems));
    assertUniquePlanName(cached.nodes, planFile, pass.seenPlanNames);
    pass.projectNames.claim(planFile, text, cached.nodes);
    return cached.nodes;
  } catch (error) {
    return brokenPlan(error instanceof Error ? error.message : String(error));
  }

  /** The broken plan's project, named so that it clashes with no project claimed so far, with its error printed. */
  function brokenPlan(message: string): CreateNodesResult {
    console.warn(`nx-phases: ${planFile} cannot be loaded; its targets fail until it is fixed, and every other plan works.\n${message}`);
    const planName = readablePlanName(text);
    const projectName = existingProjectName ? undefined : brokenPlanProjectName(planName, appRoot, (name) => pass.projectNames.isTaken(name));
    const result = brokenPlanNodes({ planFile, appRoot, message, planName, projectName, targetName: options.targetName });
    pass.projectNames.claim(planFile, text, result);
    return result;
  }
}

/** The plan's projects, or the problems that keep it from loading (a `PlanError`'s problems). */
function computeOrExplain(
  text: string,
  planFile: string,
  options: NormalizedPluginOptions,
  existingProjectName: string | undefined,
  workspaceRoot: string,
): CachedResult {
  try {
    return computeNodes(text, planFile, options, existingProjectName, workspaceRoot);
  } catch (error) {
    if (error instanceof PlanError) return { planProblems: error.problems };
    throw error;
  }
}

function computeNodes(
  text: string,
  planFile: string,
  options: NormalizedPluginOptions,
  existingProjectName: string | undefined,
  workspaceRoot: string,
): CachedResult {
  const loaded = parsePlanText(text, planFile);
  rememberResolvedPlan(workspaceRoot, text, loaded);
  // A run of the phase target prints the fixes itself (the aggregate task, or the phase that got the edge).
  if (loaded.plan.addedEdges.length > 0 && !runsTarget(nxCommandLine(), options.targetName)) {
    for (const edge of loaded.plan.addedEdges) console.warn(`nx-phases: ${planFile}: ${edge.reason}`);
  }
  return { nodes: planNodes(planNodesInput(loaded, options, existingProjectName, workspaceRoot)), generators: externalGeneratorRefs(loaded) };
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
