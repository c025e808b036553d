import { PhaseProgress } from '../progress';
import { checkStep } from './check-step';
import { claimStep } from './claim-step';
import { commitStep } from './commit-step';
import { generateStep } from './generate-step';
import { loadStep } from './load-step';
import { reuseStep } from './reuse-step';
import { snapshotStep } from './snapshot-step';
import type { PhaseRunState } from './state';
import type { PhaseStep } from './step';
import { validateStep } from './validate-step';

/** The steps of a phase run, in order. A new step is a new module added here. */
export const PHASE_PIPELINE: readonly PhaseStep[] = [loadStep, claimStep, snapshotStep, reuseStep, generateStep, validateStep, checkStep, commitStep];

/**
 * Runs the steps in order until one throws or one marks the run done. Consecutive titled steps are shown as one
 * progress list; untitled steps run between them.
 */
export async function runPipeline(state: PhaseRunState, steps: readonly PhaseStep[] = PHASE_PIPELINE): Promise<void> {
  let index = 0;
  while (index < steps.length && !state.done) {
    const step = steps[index];
    if (!step.title) {
      await step.run(state, () => undefined);
      index += 1;
      continue;
    }
    const progress = new PhaseProgress();
    for (; index < steps.length && steps[index].title; index += 1) {
      const titled = steps[index];
      progress.add(titled.title!(state), (title) => (state.done ? undefined : titled.run(state, title)));
    }
    await progress.run();
  }
}
