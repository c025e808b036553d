import { reuseCommittedResult } from '../reuse/reuse-step';
import { required } from './state';
import type { PhaseStep } from './step';

/** With `reuse` set, re-commits the committed result when it was made from these inputs, and ends the run there. */
export const reuseStep: PhaseStep = {
  name: 'reuse',
  async run(state) {
    if (!state.request.reuse) return;
    state.done = await reuseCommittedResult({
      workspaceRoot: state.request.workspaceRoot,
      loaded: required(state, 'loaded'),
      phase: required(state, 'phase'),
      fingerprint: state.request.fingerprint,
      snapshot: required(state, 'snapshot'),
      fixHint: required(state, 'fixHint'),
    });
  },
};
