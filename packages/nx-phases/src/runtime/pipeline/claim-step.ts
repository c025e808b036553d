import { cancellationSignal } from '../cancellation';
import { claimPhase } from '../single-flight/phase-claim';
import { required } from './state';
import type { PhaseStep } from './step';

/** Claims the phase (single flight across processes); the claim is released when the run ends. */
export const claimStep: PhaseStep = {
  name: 'claim',
  async run(state) {
    const loaded = required(state, 'loaded');
    const phase = required(state, 'phase');
    const where = required(state, 'where');
    state.claim = await claimPhase({ workspaceRoot: state.request.workspaceRoot, planFile: loaded.planFile, phaseNumber: phase.number, signal: cancellationSignal() });
    state.fixHint = `Fix: make it a real folder or file inside the app root, or change ${where.jsonPath}.plannedFiles in ${loaded.planFile}.`;
  },
};
