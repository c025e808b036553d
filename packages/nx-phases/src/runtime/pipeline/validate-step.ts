import { counted } from '../counted';
import { walkFiles } from '../file-walk';
import { splitContributions } from '../merge/phase-contributions';
import { validatePhaseOutput } from '../validate-output';
import { required } from './state';
import type { PhaseStep } from './step';

/** Checks what the generator wrote against the phase's planned files and splits off merged-file contributions. */
export const validateStep: PhaseStep = {
  name: 'validate',
  title: () => 'Validating',
  run(state, title) {
    const snapshot = required(state, 'snapshot');
    const loaded = required(state, 'loaded');
    const phase = required(state, 'phase');
    const where = required(state, 'where');
    const validated = validatePhaseOutput(snapshot.files, walkFiles(snapshot.root), phase, where);
    const { owned, contributions } = splitContributions(validated, snapshot, loaded.plan, phase, where);
    state.output = owned;
    state.contributions = contributions;
    const added = contributions.size > 0 ? `, added to ${counted(contributions.size, 'merged file')}` : '';
    title(`Validating (${counted(owned.written.length, 'file')} written${added})`);
  },
};
