import type { PreTasksExecutionContext } from '@nx/devkit';
import { startRedisServer } from '../test-utils/redis-server';
import { preTasksExecution } from './pre-tasks-execution';

describe('preTasksExecution', () => {
  const names = ['NX_STREAM_OUTPUT', 'NX_PREFIX_OUTPUT', 'NX_PHASES_RUN_ID', 'NX_PHASES_RUN_PARALLEL', 'NX_PHASES_STORE', 'NX_PHASES_STORE_FALLBACK', 'NX_PHASES_CLAIM_WAIT_TIMEOUT', 'NX_PHASES_PROGRESS'];
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

  it('fails the run before setting anything when an NX_PHASES_ setting is bad (one line, did-you-mean)', async () => {
    delete process.env.NX_PHASES_RUN_ID;
    process.env.NX_PHASES_CLAIM_WAIT_TIMEOUT = '10m';
    await expect(preTasksExecution!({}, context('run-many', '-t', 'phase'))).rejects.toThrow(
      'NX_PHASES_CLAIM_WAIT_TIMEOUT="10m" is not a number of seconds. Give a number of seconds greater than 0 (e.g. 1800), or unset it.',
    );
    delete process.env.NX_PHASES_CLAIM_WAIT_TIMEOUT;
    process.env.NX_PHASES_PROGRESS = 'titels';
    await expect(preTasksExecution!({}, context('run-many', '-t', 'phase'))).rejects.toThrow('Did you mean "titles"?');
    expect(process.env.NX_PHASES_RUN_ID).toBeUndefined();
    delete process.env.NX_PHASES_PROGRESS;
  });

  describe('the coordination store', () => {
    beforeEach(() => {
      delete process.env.NX_PHASES_STORE;
      delete process.env.NX_PHASES_STORE_FALLBACK;
    });

    it('leaves the file store (the default) alone', async () => {
      await preTasksExecution!({}, context('run-many', '-t', 'phase'));
      expect(process.env.NX_PHASES_STORE).toBeUndefined();
    });

    it('passes the nx.json store option to the tasks once a real Redis answers', async () => {
      const redis = await startRedisServer();
      try {
        await preTasksExecution!({ store: redis.url }, context('run-many', '-t', 'phase'));
        expect(process.env.NX_PHASES_STORE).toBe(redis.url);
      } finally {
        await redis.dispose();
      }
    });

    it('stops the run naming the URL when Redis is unreachable, or runs on files when the fallback was chosen', async () => {
      const gone = await startRedisServer();
      await gone.dispose();
      process.env.NX_PHASES_STORE = gone.url;
      await expect(preTasksExecution!({}, context('run-many', '-t', 'phase'))).rejects.toThrow(`could not reach the coordination store Redis at ${gone.url} (NX_PHASES_STORE)`);
      expect(process.env.NX_PHASES_STORE).toBe(gone.url);
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      await preTasksExecution!({ storeFallback: 'file' }, context('run-many', '-t', 'phase'));
      expect(process.env.NX_PHASES_STORE).toBe('file');
      jest.restoreAllMocks();
    });
  });
});
