import { cancellationSignal } from '../cancellation';
import { claimPhase } from '../single-flight/phase-claim';
import { claimPhaseOnRedis } from '../store/redis-claim';
import { useRedisStore } from '../store/store-client';
import { required } from './state';
import type { PhaseStep } from './step';

/** Claims the phase (single flight across processes, or across machines on the Redis store); released when the run ends. */
export const claimStep: PhaseStep = {
  name: 'claim',
  async run(state) {
    const loaded = required(state, 'loaded');
    const phase = required(state, 'phase');
    const where = required(state, 'where');
    const request = { workspaceRoot: state.request.workspaceRoot, planFile: loaded.planFile, phaseNumber: phase.number, signal: cancellationSignal() };
    state.store = await useRedisStore();
    state.claim = state.store ? await claimPhaseOnRedis({ ...request, fingerprint: state.request.fingerprint }, state.store) : await claimPhase(request);
    state.fixHint = `Fix: make it a real folder or file inside the app root, or change ${where.jsonPath}.plannedFiles in ${loaded.planFile}.`;
  },
};
