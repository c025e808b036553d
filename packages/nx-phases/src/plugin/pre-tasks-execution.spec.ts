import type { PreTasksExecutionContext } from '@nx/devkit';
import { preTasksExecution } from './pre-tasks-execution';

describe('preTasksExecution', () => {
  const names = ['NX_STREAM_OUTPUT', 'NX_PREFIX_OUTPUT', 'NX_PHASES_RUN_ID', 'NX_PHASES_RUN_PARALLEL'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  const context = (...args: string[]): PreTasksExecutionContext => ({
    id: 'run-1',
    workspaceRoot: '/ws',
    nxJsonConfiguration: {},
    argv: ['/usr/bin/node', '/ws/node_modules/nx/bin/nx.js', ...args],
  });
  const streaming = () => [process.env.NX_STREAM_OUTPUT, process.env.NX_PREFIX_OUTPUT];

  beforeEach(() => {
    delete process.env.NX_STREAM_OUTPUT;
    delete process.env.NX_PREFIX_OUTPUT;
  });
  afterAll(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('turns on Nx\'s prefixed output streaming for run-many -t phase, so the aggregate task\'s summary is shown', async () => {
    await preTasksExecution!({}, context('run-many', '-t', 'phase', '-p', 'tag:phase-plan:shop', '--parallel=3'));
    expect(streaming()).toEqual(['true', 'true']);
  });

  it('leaves the output alone for other targets, for nx run, and when the user chose an output style', async () => {
    for (const args of [['run-many', '-t', 'build'], ['run', 'shop:phase'], ['run-many', '-t', 'phase', '--outputStyle=static-failures-only']]) {
      await preTasksExecution!({}, context(...args));
      expect(streaming()).toEqual([undefined, undefined]);
    }
  });

  it('keeps a streaming setting already in the environment', async () => {
    process.env.NX_STREAM_OUTPUT = 'false';
    await preTasksExecution!({}, context('run-many', '-t', 'phase'));
    expect(streaming()).toEqual(['false', undefined]);
  });
});
