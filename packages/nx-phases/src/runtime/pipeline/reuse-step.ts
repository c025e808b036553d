import { reuseCommittedResult } from '../reuse/reuse-step';
import { applySharedResult } from '../store/shared-result';
import { required } from './state';
import type { PhaseStep } from './step';

/**
 * With `reuse` set, re-commits the committed result when it was made from these inputs, and ends the run there. On the
 * Redis store, a result another machine committed for these inputs is written into the snapshot instead (then
 * validated and committed, its hashes checked against its manifest), so the generator is not called.
 */
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
    if (state.done || !state.store || !state.request.fingerprint) return;
    const loaded = required(state, 'loaded');
    const phase = required(state, 'phase');
    const snapshot = required(state, 'snapshot');
    const id = { planFile: loaded.planFile, phaseNumber: phase.number, fingerprint: state.request.fingerprint, snapshotHash: snapshot.hash };
    state.shared = await applySharedResult(state.store, id, loaded.plan.name, phase, snapshot);
  },
};
