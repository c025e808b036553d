import { counted } from '../counted';
import { buildSnapshot } from '../snapshot';
import { required } from './state';
import type { PhaseStep } from './step';

/** Builds the phase's private snapshot: the shared context plus its dependencies' recorded outputs. */
export const snapshotStep: PhaseStep = {
  name: 'snapshot',
  title: () => 'Snapshot',
  run(state, title) {
    const loaded = required(state, 'loaded');
    const snapshot = buildSnapshot({ workspaceRoot: state.request.workspaceRoot, appRoot: loaded.appRoot, plan: loaded.plan, phase: required(state, 'phase') });
    state.snapshot = snapshot;
    title(`Snapshot (${counted(snapshot.files.size, 'file')} from ${counted(snapshot.dependencies.length, 'phase')})`);
  },
};
