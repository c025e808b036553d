import { addCallCost, PRICE_TABLE_DATE } from '../../cost';
import { runPhaseGenerator } from '../run-generator';
import { recordSegment, required, type PhaseRunState } from './state';
import type { PhaseStep } from './step';

/** Calls the phase generator on the snapshot (again, with `state.repair` set, when the check step repairs). */
export const generateStep: PhaseStep = {
  name: 'generate',
  title: (state) => (state.shared ? 'Applying the result another machine committed; generator not called' : `Generating with ${required(state, 'generator').use}`),
  async run(state, title) {
    if (state.shared) return;
    const startedAt = Date.now();
    try {
      await generate(state, title);
    } finally {
      if (state.repair) recordSegment(state, 'repair', state.repair.attempt + 1, startedAt);
      else recordSegment(state, 'generate', 1, startedAt);
    }
  },
};

function generate(state: PhaseRunState, title: (text: string) => void): Promise<void> {
  return runPhaseGenerator({
    workspaceRoot: state.request.workspaceRoot,
    loaded: required(state, 'loaded'),
    phase: required(state, 'phase'),
    generator: required(state, 'generator'),
    snapshot: required(state, 'snapshot'),
    usage: state.usage,
    recordCost: (call) => {
      state.cost = addCallCost(state.cost, call, PRICE_TABLE_DATE);
    },
    waits: state.waits,
    startedAt: state.started,
    where: required(state, 'where'),
    progress: title,
    repair: state.repair,
  });
}
