import type { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import phaseExecutor from '../../executors/phase/executor';

// Counts its calls in <workspace>/calls.log (outside the app root) and writes each planned file.
const COUNTER = `
  fs.appendFileSync(path.join(options.runtime.workspaceRoot, 'calls.log'), options.phase.number + '\\n');
  for (const file of options.phase.plannedFiles) {
    const before = tree.exists(file) ? tree.read(file, 'utf8') : '';
    tree.write(file, before + options.phase.name + ' ' + options.features + '\\n');
  }`;

function plan(features = 'one') {
  return {
    name: 'app',
    generator: { use: 'test-gens:counter', options: { features } },
    phases: [
      { number: 1, name: 'Setup', domain: 'setup', dependencies: [], plannedFiles: ['src/a.ts', 'src/shared.ts'] },
      { number: 2, name: 'Feature', dependencies: [1], plannedFiles: ['src/b.ts', 'src/shared.ts'] },
    ],
  };
}

describe('reusing a committed result', () => {
  let ws: TempWorkspace;
  let printed: string[];
  const originalProgress = process.env.NX_PHASES_PROGRESS;
  const context = { root: '' } as ExecutorContext;
  const run = (phase: number, fingerprint: string | null = `fp-${phase}`) =>
    phaseExecutor({ plan: 'apps/app/phases.json', phase, fingerprint: fingerprint ?? undefined }, { ...context, root: ws.root });
  const calls = () => (ws.exists('calls.log') ? ws.read('calls.log').trim().split('\n').map(Number) : []);
  const resetCalls = () => rmSync(join(ws.root, 'calls.log'), { force: true });
  const app = (path: string) => join(ws.root, 'apps/app', path);

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.installGenerators({ counter: COUNTER });
    ws.write('apps/app/phases.json', plan());
    printed = [];
    process.env.NX_PHASES_PROGRESS = 'plain'; // one line per step, as in CI and under Nx
    const capture = (chunk: string | Uint8Array) => void printed.push(String(chunk));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (capture(chunk), true));
    jest.spyOn(console, 'error').mockImplementation((...args) => capture(args.join(' ')));
    jest.spyOn(console, 'warn').mockImplementation((...args) => capture(args.join(' ')));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env.NX_PHASES_PROGRESS = originalProgress;
    delete process.env.NX_SKIP_NX_CACHE;
    ws.dispose();
  });

  it('records the fingerprint in the manifest', async () => {
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(JSON.parse(ws.read('apps/app/.phases/1/manifest.json')).fingerprint).toBe('fp-1');
  });

  it('re-commits an unchanged phase from its record without calling the generator, restoring deleted live files', async () => {
    await run(1);
    const manifest = ws.read('apps/app/.phases/1/manifest.json');
    rmSync(app('src/a.ts'));
    rmSync(app('.phases/1/inputs.sha256'));
    resetCalls();
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([]);
    expect(ws.read('apps/app/src/a.ts')).toBe('Setup one\n');
    expect(ws.read('apps/app/.phases/1/manifest.json')).toBe(manifest);
    expect(ws.read('apps/app/.phases/1/inputs.sha256')).toBe(`${JSON.parse(manifest).snapshotHash}\n`);
    expect(printed.join('')).toContain('Reused the committed result: 2 files verified, 1 restored; generator not called');
  });

  it('generates again when the fingerprint differs (the phase spec or its generator changed)', async () => {
    await run(1);
    resetCalls();
    ws.write('apps/app/phases.json', plan('two'));
    await expect(run(1, 'fp-1-edited')).resolves.toEqual({ success: true });
    expect(calls()).toEqual([1]);
    expect(ws.read('apps/app/src/a.ts')).toBe('Setup two\n');
    expect(JSON.parse(ws.read('apps/app/.phases/1/manifest.json')).fingerprint).toBe('fp-1-edited');
  });

  it('generates again when the snapshot differs (a dependency committed a new result)', async () => {
    await run(1);
    await run(2);
    ws.write('apps/app/phases.json', plan('two'));
    await run(1, 'fp-1-edited');
    resetCalls();
    await expect(run(2)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([2]);
    expect(ws.read('apps/app/src/shared.ts')).toBe('Setup two\nFeature two\n');
  });

  it('generates again when a record file does not match its manifest', async () => {
    await run(1);
    ws.write('apps/app/.phases/1/files/src/a.ts', 'tampered');
    resetCalls();
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([1]);
    expect(ws.read('apps/app/.phases/1/files/src/a.ts')).toBe('Setup one\n');
  });

  it('never reuses a manifest with a path outside the app root: the phase fails closed, touching nothing outside', async () => {
    await run(1);
    const manifestPath = 'apps/app/.phases/1/manifest.json';
    const manifest = JSON.parse(ws.read(manifestPath));
    manifest.files['../../escape.txt'] = manifest.files['src/a.ts'];
    ws.write(manifestPath, manifest);
    ws.write('apps/app/.phases/1/files/../../escape.txt', 'Setup one\n');
    resetCalls();
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(printed.join('')).not.toContain('Reused');
    expect(printed.join('')).toContain('"files" key "../../escape.txt" contains a ".." segment');
    expect(existsSync(join(ws.root, 'apps/escape.txt'))).toBe(false);
  });

  it('rejects a manifest whose fingerprint is not a string, like any invalid manifest, reusing nothing', async () => {
    await run(1);
    const manifestPath = 'apps/app/.phases/1/manifest.json';
    ws.write(manifestPath, { ...JSON.parse(ws.read(manifestPath)), fingerprint: { forged: true } });
    resetCalls();
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(printed.join('')).toMatch(/"fingerprint" must be a string when present/);
  });

  it('never reads a record through a symlinked folder: the phase fails closed', async () => {
    await run(1);
    const elsewhere = new TempWorkspace();
    try {
      elsewhere.write('files/src/a.ts', 'Setup one\n');
      elsewhere.write('files/src/shared.ts', 'Setup one\n');
      rmSync(app('.phases/1/files'), { recursive: true });
      symlinkSync(join(elsewhere.root, 'files'), app('.phases/1/files'));
      resetCalls();
      await expect(run(1)).resolves.toEqual({ success: false });
      expect(printed.join('')).not.toContain('Reused');
      expect(printed.join('')).toContain('".phases/1/files" is a symlink');
    } finally {
      elsewhere.dispose();
    }
  });

  it('generates again under --skip-nx-cache (NX_SKIP_NX_CACHE=true) and without a fingerprint', async () => {
    await run(1);
    resetCalls();
    process.env.NX_SKIP_NX_CACHE = 'true';
    await expect(run(1)).resolves.toEqual({ success: true });
    delete process.env.NX_SKIP_NX_CACHE;
    await expect(run(1, null)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([1, 1]);
  });

  it('restores only the live files a cache hit would: not one a later phase rewrites', async () => {
    await run(1);
    await run(2);
    rmSync(app('src/a.ts'));
    resetCalls();
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([]);
    expect(ws.read('apps/app/src/a.ts')).toBe('Setup one\n');
    expect(readFileSync(app('src/shared.ts'), 'utf8')).toBe('Setup one\nFeature one\n');
  });
});
