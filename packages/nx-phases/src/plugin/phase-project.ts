import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { CONTRIBUTIONS_FILE, DEPENDENCY_RECORD_INPUTS, EXECUTABLES_FILE, MANIFEST_FILE, RECORD_FILES_DIR, SNAPSHOT_DIGEST_FILE } from '../constants';
import { effectiveGenerator, mergeStrategyOf } from '../plan';
import type { AddedEdge, Phase } from '../plan/types';
import { phaseRecordRoot } from '../runtime/record-paths';
import { phaseFingerprint } from './fingerprint';
import type { PlanNodesInput } from './plan-nodes';

/** The inferred project of one phase: root `<appRoot>/.phases/<n>`, one cached target, lean config. */
export function phaseProject(input: PlanNodesInput, phase: Phase): ProjectConfiguration & { name: string } {
  const { loaded, options, names, levels, planProjectName } = input;
  const { plan, appRoot } = loaded;
  const name = names.get(phase.number)!;
  const level = levels.get(phase.number)!;
  const dependencyNames = phase.dependencies.map((n) => names.get(n)!);
  const addedEdges = plan.addedEdges.filter((edge) => edge.to === phase.number);
  return {
    root: phaseRecordRoot(appRoot, phase.number),
    name,
    tags: ['nx-phases', `phase-plan:${plan.name}`, `phase-level:${level}`, `phase-domain:${phase.domain}`],
    implicitDependencies: dependencyNames.length > 0 ? dependencyNames : [planProjectName],
    metadata: {
      description: describePhase(phase, level, addedEdges),
      technologies: ['nx-phases'],
      targetGroups: { 'nx-phases': [options.targetName] },
    },
    targets: { [options.targetName]: phaseTarget(input, phase, dependencyNames, addedEdges) },
  };
}

function phaseTarget(input: PlanNodesInput, phase: Phase, dependencyNames: string[], addedEdges: AddedEdge[]): TargetConfiguration {
  const { loaded, options, planProjectName } = input;
  const { plan, appRoot, planFile } = loaded;
  const generator = effectiveGenerator(plan, phase);
  return {
    executor: phaseExecutor(generator.use),
    cache: true,
    options: { plan: planFile, phase: phase.number, generator: generator.use, fingerprint: phaseFingerprint(loaded, phase, input.dependencySpecs, input.workspaceRoot) },
    dependsOn: dependencyNames.length > 0 ? [{ target: options.targetName, projects: dependencyNames }] : [],
    inputs: [...plan.context.map((file) => workspacePath(appRoot, file)), ...DEPENDENCY_RECORD_INPUTS.map((input) => ({ ...input }))],
    outputs: [
      ...liveOutputs(input, phase).map((file) => workspacePath(appRoot, file)),
      `{projectRoot}/${RECORD_FILES_DIR}`,
      `{projectRoot}/${SNAPSHOT_DIGEST_FILE}`,
      `{projectRoot}/${EXECUTABLES_FILE}`,
      ...(phase.plannedFiles.some((file) => mergeStrategyOf(plan, file)) ? [`{projectRoot}/${CONTRIBUTIONS_FILE}`] : []),
      `{projectRoot}/${MANIFEST_FILE}`,
    ],
    ...(plan.parallel ? {} : { parallelism: false }),
    metadata: {
      description: describePhase(phase, input.levels.get(phase.number)!, addedEdges),
      technologies: ['nx-phases'],
      help: {
        command: `npx nx run ${planProjectName}:${options.targetName} --parallel=3`,
        example: { args: ['--skip-nx-cache'] },
      },
    },
  };
}

/**
 * Generators whose phases mostly wait on a model (openai calls it, a command wraps an agent that does): their phases
 * run with `nx-phases:phase-io`, which Nx batches by default (one worker, no process start per phase; measured for
 * both in docs/performance.md, issue 22). A command's own work runs in its child process either way.
 */
const BATCHED_BY_DEFAULT = new Set(['nx-phases:openai', 'nx-phases:command']);

/** The executor of a phase target: `nx-phases:phase-io` for generators that wait on a model, else `nx-phases:phase`. */
export function phaseExecutor(generatorUse: string): 'nx-phases:phase' | 'nx-phases:phase-io' {
  return BATCHED_BY_DEFAULT.has(generatorUse) ? 'nx-phases:phase-io' : 'nx-phases:phase';
}

/**
 * The planned files a cache hit restores into the app: not those a descendant rewrites (see `supersededFiles`), and
 * never mergeable files, which belong to no phase (the plan's aggregate target merges them from the records).
 */
function liveOutputs(input: PlanNodesInput, phase: Phase): string[] {
  const superseded = input.superseded.get(phase.number)!;
  return phase.plannedFiles.filter((file) => !superseded.has(file) && !mergeStrategyOf(input.loaded.plan, file));
}

/** `Phase 3 of shop: Auth (level 2). Features: Login, Signup. Depends on 1 because both write src/App.tsx.` */
function describePhase(phase: Phase, level: number, addedEdges: AddedEdge[]): string {
  const features = phase.features.length > 0 ? ` Features: ${phase.features.join(', ')}.` : '';
  const fixes = addedEdges.map((e) => ` Depends on ${e.from} because both write ${e.file} (added by conflict resolution).`).join('');
  return `${phase.name} (phase ${phase.number}, level ${level}).${features}${fixes}`;
}

function workspacePath(appRoot: string, file: string): string {
  return appRoot === '.' ? `{workspaceRoot}/${file}` : `{workspaceRoot}/${appRoot}/${file}`;
}
