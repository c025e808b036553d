import type { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import phaseExecutor from '../../executors/phase/executor';
import { startRedisServer, type RedisServer } from '../../test-utils/redis-server';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { walkFiles } from '../file-walk';
import { closeRedisStore, useRedisStore, type RedisStore } from './store-client';

// Counts its calls in <workspace>/calls.log (outside the app root) and writes each planned file.
const COUNTER = `
  fs.appendFileSync(path.join(options.runtime.workspaceRoot, 'calls.log'), options.phase.number + '\\n');
  for (const file of options.phase.plannedFiles) {
    const before = tree.exists(file) ? tree.read(file, 'utf8') : '';
    tree.write(file, before + options.phase.name + '\\n');
  }`;

const PLAN = {
  name: 'app',
  generator: { use: 'test-gens:counter' },
  phases: [
    { number: 1, name: 'Setup', domain: 'setup', dependencies: [], plannedFiles: ['src/a.ts', 'src/shared.ts'] },
    { number: 2, name: 'Feature', dependencies: [1], plannedFiles: ['src/b.ts', 'src/shared.ts'] },
  ],
};

jest.setTimeout(60_000);

/** Two "machines": two workspaces (clones of one plan) sharing one real Redis, running the phase executor. */
describe('a result committed on one machine, applied on another through the Redis store', () => {
  let redis: RedisServer;
  let store: RedisStore;
  let machines: TempWorkspace[];
  let printed: string[];
  const saved = { store: process.env.NX_PHASES_STORE, progress: process.env.NX_PHASES_PROGRESS };
  const run = (machine: TempWorkspace, phase: number) =>
    phaseExecutor({ plan: 'apps/app/phases.json', phase, fingerprint: `fp-${phase}` }, { root: machine.root } as ExecutorContext);
  const calls = (machine: TempWorkspace) => (machine.exists('calls.log') ? machine.read('calls.log').trim().split('\n').map(Number) : []);
  const app = (machine: TempWorkspace) => {
    const root = join(machine.root, 'apps/app');
    return Object.fromEntries([...walkFiles(root).keys()].sort().map((path) => [path, readFileSync(join(root, path), 'utf8')]));
  };
  const resultKeys = () => store.client.keys('nx-phases:result:*');
  const tamper = async (edit: (value: Record<string, any>) => void) => {
    const [key] = await resultKeys();
    const value = JSON.parse((await store.client.get(key))!);
    edit(value);
    await store.client.set(key, JSON.stringify(value));
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });
  beforeEach(async () => {
    process.env.NX_PHASES_STORE = redis.url;
    process.env.NX_PHASES_PROGRESS = 'plain';
    store = (await useRedisStore())!;
    await store.client.flushall();
    machines = [new TempWorkspace(), new TempWorkspace()];
    for (const machine of machines) {
      machine.installGenerators({ counter: COUNTER });
      machine.write('apps/app/phases.json', PLAN);
    }
    printed = [];
    const capture = (chunk: string | Uint8Array) => void printed.push(String(chunk));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (capture(chunk), true));
    jest.spyOn(console, 'error').mockImplementation((...args) => capture(args.join(' ')));
    jest.spyOn(console, 'warn').mockImplementation((...args) => capture(args.join(' ')));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    closeRedisStore();
    for (const machine of machines) machine.dispose();
    process.env.NX_PHASES_STORE = saved.store;
    process.env.NX_PHASES_PROGRESS = saved.progress;
  });

  it('the second machine commits the first one\'s result without calling the generator: byte-identical app folders', async () => {
    const [first, second] = machines;
    await expect(run(first, 1)).resolves.toEqual({ success: true });
    await expect(run(first, 2)).resolves.toEqual({ success: true });
    await expect(run(second, 1)).resolves.toEqual({ success: true });
    await expect(run(second, 2)).resolves.toEqual({ success: true });
    expect(calls(first)).toEqual([1, 2]);
    expect(calls(second)).toEqual([]);
    expect(app(second)).toEqual(app(first));
    expect(printed.join('')).toContain('Applying the result another machine committed; generator not called');
  });

  it('a machine waiting on the other machine\'s claim gets the result once it commits, and pays nothing', async () => {
    const [first, second] = machines;
    const results = await Promise.all([run(first, 1), run(second, 1)]);
    expect(results).toEqual([{ success: true }, { success: true }]);
    expect([...calls(first), ...calls(second)]).toEqual([1]);
    expect(app(second)).toEqual(app(first));
  });

  it.each([
    ['a file whose content does not match the manifest', (v: Record<string, any>) => (v.files['src/a.ts'] = Buffer.from('evil').toString('base64')), 'src/a.ts does not match its hash'],
    ['a file the phase does not plan', (v: Record<string, any>) => (v.files['../../escape.ts'] = Buffer.from('x').toString('base64')), 'which phase 1 does not plan'],
    ['an extra planned file the manifest does not list', (v: Record<string, any>) => delete v.manifest.files['src/shared.ts'], 'the files it gives are not the ones its manifest records'],
    ['a manifest for other inputs', (v: Record<string, any>) => (v.manifest.fingerprint = 'fp-other'), 'records another fingerprint'],
    ['a manifest that breaks the manifest rules', (v: Record<string, any>) => (v.manifest.files = { '/etc/passwd': 'x' }), 'its manifest'],
    ['not a result at all', (v: Record<string, any>) => (v.version = 2), 'not a JSON object { version: 1'],
  ])('a hostile entry (%s) fails closed: nothing written, generator not called', async (_name, edit, problem) => {
    const [first, second] = machines;
    await run(first, 1);
    await tamper(edit);
    await expect(run(second, 1)).resolves.toEqual({ success: false });
    expect(printed.join('')).toContain(problem);
    expect(printed.join('')).toContain('does not verify');
    expect(calls(second)).toEqual([]);
    expect(existsSync(join(second.root, 'apps/app/src'))).toBe(false);
    expect(existsSync(join(second.root, 'apps/app/.phases'))).toBe(false);
  });
});
