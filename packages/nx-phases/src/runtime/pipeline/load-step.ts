import { checkResolvedGenerator, effectiveGenerator, PlanError } from '../../plan';
import type { ResolvedGenerator } from '../../plan/types';
import { findPhase, loadPlan } from '../load-plan';
import type { PhaseStep } from './step';

/** Loads the plan, finds the phase, prints the edges auto-fix added to it and checks its generator is runnable. */
export const loadStep: PhaseStep = {
  name: 'load',
  run(state) {
    const loaded = loadPlan(state.request.workspaceRoot, state.request.plan);
    const phase = findPhase(loaded, state.request.phase);
    // Printed by the phase that received the edge, so it reaches the terminal with the Nx daemon on or off, unless
    // the plan's aggregate target runs too (it prints every fix once).
    if (state.request.warnConflicts ?? true) {
      for (const edge of loaded.plan.addedEdges.filter((e) => e.to === phase.number)) console.warn(`nx-phases: ${loaded.planFile}: ${edge.reason}`);
    }
    const generator = effectiveGenerator(loaded.plan, phase);
    state.apiKeyEnv = generator.options.apiKeyEnv;
    const where = { planFile: loaded.planFile, jsonPath: loaded.jsonPaths.get(phase.number) ?? 'phases' };
    assertGeneratorRunnable(loaded.planFile, generator, phase.generator ? `${where.jsonPath}.generator` : 'generator');
    Object.assign(state, { loaded, phase, generator, where });
  },
};

/**
 * Checks the generator's name and options again before anything is claimed, written or sent (the stored plan may come
 * from another process); throws a `PlanError` naming the plan file and the JSON path.
 */
function assertGeneratorRunnable(planFile: string, generator: ResolvedGenerator, jsonPath: string): void {
  const findings = checkResolvedGenerator(generator, jsonPath);
  if (findings.length > 0) throw new PlanError(findings.map((finding) => ({ file: planFile, ...finding })));
}
