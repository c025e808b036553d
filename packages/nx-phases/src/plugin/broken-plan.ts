import type { CreateNodesResult, TargetConfiguration } from '@nx/devkit';
import { PHASE_PLAN_TARGET } from './plan-tool-targets';

/** The executor of every target of a plan that cannot be loaded: it fails, printing why. */
export const PLAN_ERROR_EXECUTOR = 'nx-phases:plan-error';

/** Tag on the project of a plan that cannot be loaded (`nx show projects --projects tag:nx-phases-broken-plan`). */
export const BROKEN_PLAN_TAG = 'nx-phases-broken-plan';

const PLAN_NAME = /^[a-z][a-z0-9-]*$/;

/** A plan that cannot be loaded, and what its project is called. */
export interface BrokenPlan {
  planFile: string;
  appRoot: string;
  /** Every problem, with the file, the JSON path and the fix. */
  message: string;
  /** The plan's `name` when it is readable and valid: selects the project by `tag:phase-plan:<name>`. */
  planName?: string;
  /** The project name; undefined when an existing project.json at the app root names the project. */
  projectName?: string;
  /** The plugin's phase target name (`phase` by default). */
  targetName: string;
}

/**
 * The project of a plan that cannot be loaded: the app root's project with the plan's target and `phase-plan`, both
 * failing with the plan's problems. No phase projects, so nothing of the plan can run, and nothing else is affected.
 */
export function brokenPlanNodes(broken: BrokenPlan): CreateNodesResult {
  const failing = (what: string): TargetConfiguration => ({
    executor: PLAN_ERROR_EXECUTOR,
    cache: false,
    options: { plan: broken.planFile, message: broken.message },
    metadata: {
      description: `${broken.planFile} cannot be loaded, so ${what} fails, printing why (every problem with its JSON path and fix).`,
      technologies: ['nx-phases'],
    },
  });
  const tags = [BROKEN_PLAN_TAG, ...(broken.planName ? [`phase-plan:${broken.planName}`] : [])];
  return {
    projects: {
      [broken.appRoot]: {
        root: broken.appRoot,
        ...(broken.projectName ? { name: broken.projectName } : {}),
        tags: broken.projectName ? ['nx-phases-plan', ...tags] : tags,
        metadata: { technologies: ['nx-phases'], targetGroups: { 'nx-phases': [broken.targetName, PHASE_PLAN_TARGET] } },
        targets: {
          [broken.targetName]: failing(`generating its phases`),
          [PHASE_PLAN_TARGET]: failing('showing its execution plan'),
        },
      },
    },
  };
}

/** The plan's `name` if the text is JSON with a valid one, else undefined. */
export function readablePlanName(text: string): string | undefined {
  try {
    const name = (JSON.parse(text.replace(/^\uFEFF/, '')) as { name?: unknown } | null)?.name;
    return typeof name === 'string' && PLAN_NAME.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A project name for a broken plan that no other project of the pass took: its plan name, else one made from its
 * app root (`apps/my shop` → `apps-my-shop`), with `-2`, `-3`, … appended while taken.
 */
export function brokenPlanProjectName(planName: string | undefined, appRoot: string, isTaken: (name: string) => boolean): string {
  const base = planName ?? (appRoot.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'workspace-root');
  let name = base;
  for (let n = 2; isTaken(name); n++) name = `${base}-${n}`;
  return name;
}
