import { runPhaseGenerator } from '../run-generator';
import { required } from './state';
import type { PhaseStep } from './step';

/** Calls the phase generator on the snapshot. */
export const generateStep: PhaseStep = {
  name: 'generate',
  title: (state) => `Generating with ${required(state, 'generator').use}`,
  run(state, title) {
    return runPhaseGenerator({
      workspaceRoot: state.request.workspaceRoot,
      loaded: required(state, 'loaded'),
      phase: required(state, 'phase'),
      generator: required(state, 'generator'),
      snapshot: required(state, 'snapshot'),
      usage: state.usage,
      waits: state.waits,
      startedAt: state.started,
      where: required(state, 'where'),
      progress: title,
      repair: state.repair,
    });
  },
};
