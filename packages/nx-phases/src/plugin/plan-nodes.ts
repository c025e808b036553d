import type { CreateNodesResult, ProjectConfiguration } from '@nx/devkit';
import { computeLevels } from '../plan';
import { supersededFiles } from './superseded-files';
import { dependencySpecHashes } from './fingerprint';
import type { LoadedPlan } from '../runtime/load-plan';
import { phaseProjectName, type NormalizedPluginOptions } from './options';
import { phaseProject } from './phase-project';
import { planToolTargets } from './plan-tool-targets';

/** What building one plan's projects needs. */
export interface PlanNodesInput {
  loaded: LoadedPlan;
  options: NormalizedPluginOptions;
  /** Phase number → project name. */
  names: Map<number, string>;
  levels: Map<number, number>;
  /** Per phase, the chained hash of what dependents are told about it (see `dependencySpecHashes`). */
  dependencySpecs: Map<number, string>;
  /** Absolute workspace root (generator package versions are resolved from it). */
  workspaceRoot: string;
  /** Per phase, planned files a descendant rewrites (kept out of its live outputs). */
  superseded: Map<number, Set<string>>;
  /** Name of the project at the app root (inferred as the plan's name, or an existing project.json's name). */
  planProjectName: string;
  /** True when a project.json already defines the app root's project, so we only merge targets into it. */
  appRootHasProject: boolean;
}

/** Prepares the shared lookups for one plan. */
export function planNodesInput(
  loaded: LoadedPlan,
  options: NormalizedPluginOptions,
  existingProjectName: string | undefined,
  workspaceRoot: string,
): PlanNodesInput {
  return {
    loaded,
    options,
    names: new Map(loaded.plan.phases.map((p) => [p.number, phaseProjectName(options, loaded.plan.name, p)])),
    levels: computeLevels(loaded.plan),
    superseded: supersededFiles(loaded.plan),
    dependencySpecs: dependencySpecHashes(loaded.plan),
    workspaceRoot,
    planProjectName: existingProjectName ?? loaded.plan.name,
    appRootHasProject: existingProjectName !== undefined,
  };
}

/** One project per phase plus the app root's project with the aggregate target. */
export function planNodes(input: PlanNodesInput): CreateNodesResult {
  const projects: Record<string, ProjectConfiguration> = {};
  for (const phase of input.loaded.plan.phases) {
    const project = phaseProject(input, phase);
    projects[project.root] = project;
  }
  projects[input.loaded.appRoot] = planProject(input);
  return { projects };
}

function planProject(input: PlanNodesInput): ProjectConfiguration {
  const { loaded, options, names } = input;
  const { plan, appRoot } = loaded;
  const dependedOn = new Set(plan.phases.flatMap((p) => p.dependencies));
  const finalPhases = plan.phases.filter((p) => !dependedOn.has(p.number)).map((p) => names.get(p.number)!);
  const toolTargets = planToolTargets(input);
  return {
    root: appRoot,
    ...(input.appRootHasProject ? {} : { name: plan.name }),
    // Nx merges tags with a project.json's own; `phase-plan:<name>` makes `-p tag:phase-plan:<name>` (the planner's
    // printed next command) select this project too, so its aggregate target (the merge step) runs.
    tags: planProjectTags(plan.name),
    metadata: {
      technologies: ['nx-phases'],
      targetGroups: { 'nx-phases': [options.targetName, ...Object.keys(toolTargets)] },
    },
    targets: {
      ...toolTargets,
      [options.targetName]: {
        executor: 'nx-phases:assemble',
        cache: false,
        options: { plan: loaded.planFile },
        dependsOn: [{ target: options.targetName, projects: finalPhases }],
        metadata: {
          description: `Generate all ${plan.phases.length} phases of ${plan.name} (depends on its final phases, and through them on every phase)${plan.merge ? `, merge its shared files (${Object.keys(plan.merge).join(', ')}) from the phases' contributions` : ''}, then print the conflict fixes and the run summary.`,
          technologies: ['nx-phases'],
          help: {
            command: `npx nx run-many -t ${options.targetName} -p tag:phase-plan:${plan.name} --parallel=3`,
            example: { args: ['--parallel=3'] },
          },
        },
      },
    },
  };
}

/** Tags of a plan's project: the plan marker and the same `phase-plan:<name>` tag its phases carry. */
export function planProjectTags(planName: string): string[] {
  return ['nx-phases-plan', `phase-plan:${planName}`];
}
