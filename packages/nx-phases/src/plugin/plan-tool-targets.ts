import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import type { PlanNodesInput } from './plan-nodes';

/** Name of the inferred, uncached execution-plan target on a plan's project. */
export const PHASE_PLAN_TARGET = 'phase-plan';

/** Name of the inferred, cached type-check target on a plan's project. */
export const VERIFY_TARGET = 'verify';

/**
 * Hashes the TypeScript that `verify` runs. A runtime input, not `externalDependencies`: Nx fails to hash
 * an external dependency that is missing from the lockfile, while this works wherever tsc resolves.
 */
const TYPESCRIPT_VERSION = `node -p "require('typescript/package.json').version"`;

/**
 * The plan project's `phase-plan` target, plus `verify` when a phase plans the app's `tsconfig.json`
 * (verify type-checks with it after every phase has run).
 */
export function planToolTargets(input: PlanNodesInput): Record<string, TargetConfiguration> {
  const hasTsconfig = input.loaded.plan.phases.some((phase) => phase.plannedFiles.includes('tsconfig.json'));
  return {
    [PHASE_PLAN_TARGET]: phasePlanTarget(input),
    ...(hasTsconfig ? { [VERIFY_TARGET]: verifyTarget(input) } : {}),
  };
}

function phasePlanTarget({ loaded, planProjectName }: PlanNodesInput): TargetConfiguration {
  return {
    executor: 'nx-phases:phase-plan',
    cache: false,
    options: { plan: loaded.planFile, parallel: 3, format: 'text' },
    metadata: {
      description: `Show the execution plan of ${loaded.plan.name}: levels, added edges, critical path and the makespan lower bound.`,
      technologies: ['nx-phases'],
      help: {
        command: `npx nx run ${planProjectName}:${PHASE_PLAN_TARGET} --format=html`,
        example: { options: { parallel: 4, format: 'json' } },
      },
    },
  };
}

function verifyTarget({ loaded, options, planProjectName }: PlanNodesInput): TargetConfiguration {
  const tsconfig = posix.join(loaded.appRoot, 'tsconfig.json');
  return {
    executor: 'nx-phases:verify',
    cache: true,
    dependsOn: [options.targetName],
    inputs: [
      { dependentTasksOutputFiles: '**/*', transitive: true },
      '{projectRoot}/**/*.{ts,tsx}',
      { runtime: TYPESCRIPT_VERSION },
    ],
    outputs: [],
    options: { plan: loaded.planFile, tsconfig },
    metadata: {
      description: `Type-check the generated ${loaded.plan.name} app (tsc --noEmit -p ${tsconfig}) after all of its phases, then print its first-pass and retry rate.`,
      technologies: ['nx-phases', 'typescript'],
      help: { command: `npx nx run ${planProjectName}:${VERIFY_TARGET}`, example: { args: ['--skip-nx-cache'] } },
    },
  };
}
