import { emptyUsage } from '../manifest';
import { PHASE_PIPELINE, runPipeline } from './pipeline';
import type { PhaseRunState } from './state';
import type { PhaseStep } from './step';

function newState(): PhaseRunState {
  return { request: { workspaceRoot: '/nowhere', plan: 'phases.json', phase: 1 }, started: Date.now(), usage: emptyUsage(), waits: [], checks: [], segments: [] };
}

function recording(log: string[], name: string, titled: boolean, extra?: (state: PhaseRunState) => void): PhaseStep {
  return {
    name,
    ...(titled ? { title: () => name } : {}),
    run(state) {
      log.push(name);
      extra?.(state);
    },
  };
}

describe('runPipeline', () => {
  it('composes the phase run from its named steps, in order', () => {
    expect(PHASE_PIPELINE.map((step) => step.name)).toEqual(['load', 'claim', 'snapshot', 'reuse', 'generate', 'validate', 'check', 'commit']);
  });

  it('runs titled and untitled steps in order', async () => {
    const log: string[] = [];
    await runPipeline(newState(), [recording(log, 'a', false), recording(log, 'b', true), recording(log, 'c', true), recording(log, 'd', false), recording(log, 'e', true)]);
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('stops after a step marks the run done, titled or not', async () => {
    const log: string[] = [];
    const done = (state: PhaseRunState) => (state.done = true);
    await runPipeline(newState(), [recording(log, 'a', false, done), recording(log, 'b', true)]);
    await runPipeline(newState(), [recording(log, 'c', true, done), recording(log, 'd', true), recording(log, 'e', false)]);
    expect(log).toEqual(['a', 'c']);
  });

  it('rethrows the failing step\'s own error and runs nothing after it', async () => {
    const log: string[] = [];
    const failing: PhaseStep = { name: 'x', title: () => 'x', run: () => { throw new Error('boom in x'); } };
    await expect(runPipeline(newState(), [failing, recording(log, 'after', true), recording(log, 'later', false)])).rejects.toThrow('boom in x');
    expect(log).toEqual([]);
  });
});
