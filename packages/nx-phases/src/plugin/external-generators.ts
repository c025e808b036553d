import type { PlanProblem } from '../plan';
import type { LoadedPlan } from '../runtime/load-plan';
import { GeneratorResolutionError, locateGenerator } from '../runtime/resolve-generator';

/** A generator of another package that a plan names, and the JSON path of its first use. */
export interface ExternalGeneratorRef {
  use: string;
  path: string;
}

/** The distinct generators outside nx-phases that a plan's phases run (the plan-wide one only when a phase uses it). */
export function externalGeneratorRefs(loaded: LoadedPlan): ExternalGeneratorRef[] {
  const refs = new Map<string, string>();
  for (const phase of loaded.plan.phases) {
    const use = (phase.generator ?? loaded.plan.generator).use;
    if (use.startsWith('nx-phases:') || refs.has(use)) continue;
    refs.set(use, phase.generator ? `${loaded.jsonPaths.get(phase.number) ?? 'phases'}.generator` : 'generator');
  }
  return [...refs].map(([use, path]) => ({ use, path }));
}

/**
 * Checks, without loading or running anything, that each generator resolves the way `nx g` would resolve it: its
 * package is installed, ships a generator collection, and has a generator of that name (with a "did you mean").
 * Its options are not checked against its schema; only the options the executor sets are refused (see the plan core).
 */
export function checkExternalGenerators(refs: ExternalGeneratorRef[], workspaceRoot: string, planFile: string): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const { use, path } of refs) {
    try {
      locateGenerator(use, workspaceRoot, planFile);
    } catch (error) {
      if (!(error instanceof GeneratorResolutionError)) throw error;
      problems.push({ file: planFile, path, message: error.problem, hint: error.hint });
    }
  }
  return problems;
}
