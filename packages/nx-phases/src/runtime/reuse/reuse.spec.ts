import type { ExecutorContext } from '@nx/devkit';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import phaseExecutor from '../../executors/phase/executor';
import { parsePlan } from '../../plan';
import { findCommittedResult, type ReuseQuery } from './committed-result';
import { restoreCommittedResult } from './restore';

// Counts its calls in <workspace>/calls.log (outside the app root) and writes each planned file (but one named *unwritten*).
const COUNTER = `
  fs.appendFileSync(path.join(options.runtime.workspaceRoot, 'calls.log'), options.phase.number + '\\n');
  for (const file of options.phase.plannedFiles) {
    if (file.includes('unwritten')) continue;
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

  it('prints a reused phase\'s recorded warnings again, as a generated phase does', async () => {
    const warned = plan();
    warned.phases[0].plannedFiles.push('src/unwritten.ts');
    ws.write('apps/app/phases.json', warned);
    await expect(run(1)).resolves.toEqual({ success: true });
    const warning = 'nx-phases: Phase 1 (Setup) planned src/unwritten.ts but did not write it.';
    expect(printed).toContain(warning);
    printed.length = 0;
    resetCalls();
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([]);
    expect(printed.join('')).toContain('Reused the committed result');
    expect(printed).toContain(warning);
  });

  it('shows the reuse as a step while it runs, then what it verified and restored', async () => {
    await run(1);
    process.env.NX_PHASES_PROGRESS = 'titles'; // a line per title change
    printed.length = 0;
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(printed.join('')).toContain(
      '· Reusing the committed result (same fingerprint and snapshot)\n' +
        '· Reused the committed result: 2 files verified, 0 restored; generator not called\n' +
        '✔ Reused the committed result: 2 files verified, 0 restored; generator not called\n',
    );
  });

  it('generates again when the recorded contributions to a mergeable file were tampered with', async () => {
    const merging = { ...plan(), merge: { '.env.example': 'lines' } };
    merging.phases[0].plannedFiles.push('.env.example');
    ws.write('apps/app/phases.json', merging);
    await expect(run(1)).resolves.toEqual({ success: true });
    const contributions = ws.read('apps/app/.phases/1/contributions.json');
    expect(JSON.parse(contributions)).toEqual({ '.env.example': { strategy: 'lines', lines: ['Setup one'] } });
    resetCalls();
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([]); // intact: reused
    ws.write('apps/app/.phases/1/contributions.json', contributions.replace('Setup one', 'Setup evil'));
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(calls()).toEqual([1]);
    expect(ws.read('apps/app/.phases/1/contributions.json')).toBe(contributions);
  });

  describe('findCommittedResult and restoreCommittedResult on a real record', () => {
    const query = (overrides: Partial<ReuseQuery> = {}): ReuseQuery => {
      const parsed = parsePlan(ws.read('apps/app/phases.json'), 'apps/app/phases.json');
      const manifest = JSON.parse(ws.read('apps/app/.phases/1/manifest.json'));
      return { workspaceRoot: ws.root, appRoot: 'apps/app', phase: parsed.phases[0], fingerprint: 'fp-1', snapshotHash: manifest.snapshotHash, plan: parsed, ...overrides };
    };
    const restore = (q: ReuseQuery) => restoreCommittedResult({ workspaceRoot: ws.root, appRoot: 'apps/app', plan: q.plan, phase: q.phase, result: findCommittedResult(q)!, fixHint: 'Fix: x' });

    it('finds the result with every recorded file for the same inputs, and nothing for any other', async () => {
      await run(1);
      const found = findCommittedResult(query());
      expect(found && [...found.contents].map(([file, content]) => [file, String(content)])).toEqual([
        ['src/a.ts', 'Setup one\n'],
        ['src/shared.ts', 'Setup one\n'],
      ]);
      expect(findCommittedResult(query({ fingerprint: undefined }))).toBeUndefined();
      expect(findCommittedResult(query({ fingerprint: '' }))).toBeUndefined();
      expect(findCommittedResult(query({ snapshotHash: 'c'.repeat(64) }))).toBeUndefined();
    });

    it('never reuses a record naming another phase, or listing a file the phase no longer plans', async () => {
      await run(1);
      const q = query();
      const manifest = JSON.parse(ws.read('apps/app/.phases/1/manifest.json'));
      ws.write('apps/app/.phases/1/manifest.json', { ...manifest, phase: { number: 2, name: 'Feature' } });
      expect(findCommittedResult(q)).toBeUndefined();
      ws.write('apps/app/.phases/1/manifest.json', manifest);
      expect(findCommittedResult({ ...q, phase: { ...q.phase, plannedFiles: ['src/a.ts'] } })).toBeUndefined();
    });

    it('never reuses a record file that is not a regular file: a folder, a FIFO (never read: it would block)', async () => {
      await run(1);
      const recorded = app('.phases/1/files/src/a.ts');
      rmSync(recorded);
      mkdirSync(recorded);
      expect(findCommittedResult(query())).toBeUndefined();
      rmSync(recorded, { recursive: true });
      expect(spawnSync('mkfifo', [recorded]).status).toBe(0);
      expect(findCommittedResult(query())).toBeUndefined(); // reading it would wait for a writer forever
    });

    it('never reuses a manifest without a fingerprint, even when the run has none either', async () => {
      await run(1, null);
      expect(JSON.parse(ws.read('apps/app/.phases/1/manifest.json')).fingerprint).toBeUndefined();
      expect(findCommittedResult(query({ fingerprint: undefined }))).toBeUndefined();
    });

    it('refuses to restore through a symlinked live folder, writing nothing where it points', async () => {
      await run(1);
      const q = query();
      const elsewhere = new TempWorkspace();
      try {
        elsewhere.write('src/a.ts', 'not the phase\'s');
        rmSync(app('src'), { recursive: true });
        symlinkSync(join(elsewhere.root, 'src'), app('src'));
        expect(() => restore(q)).toThrow('"src" is a symlink, so "src/a.ts" could land outside the app root. Fix: x');
        expect(elsewhere.read('src/a.ts')).toBe('not the phase\'s');
        expect(existsSync(join(elsewhere.root, 'src/shared.ts'))).toBe(false);
      } finally {
        elsewhere.dispose();
      }
    });

    it('restores an executable file with its bit, once: a second restore finds it right', async () => {
      await run(1);
      const manifest = JSON.parse(ws.read('apps/app/.phases/1/manifest.json'));
      ws.write('apps/app/.phases/1/manifest.json', { ...manifest, executable: ['src/a.ts'] });
      const q = query();
      expect(restore(q)).toBe(1);
      expect(statSync(app('src/a.ts')).mode & 0o111).not.toBe(0);
      expect(restore(q)).toBe(0);
    });

    it('restores a file whose content or execute bit differs, leaves an identical one alone, and rewrites a wrong digest', async () => {
      await run(1);
      const q = query();
      writeFileSync(app('src/a.ts'), 'edited');
      expect(restore(q)).toBe(1);
      expect(ws.read('apps/app/src/a.ts')).toBe('Setup one\n');
      expect(restore(q)).toBe(0);
      chmodSync(app('src/a.ts'), 0o755);
      expect(restore(q)).toBe(1);
      expect(statSync(app('src/a.ts')).mode & 0o111).toBe(0);
      writeFileSync(app('.phases/1/inputs.sha256'), 'stale\n');
      expect(restore(q)).toBe(0);
      expect(ws.read('apps/app/.phases/1/inputs.sha256')).toBe(`${q.snapshotHash}\n`);
    });

    it('replaces no file of an app that is already up to date, its digest included (a file watcher sees no change)', async () => {
      await run(1);
      const q = query();
      const files = ['src/a.ts', 'src/shared.ts', '.phases/1/inputs.sha256'];
      expect(ws.read('apps/app/.phases/1/inputs.sha256')).toBe(`${q.snapshotHash}\n`);
      const inodes = files.map((file) => statSync(app(file)).ino);
      expect(restore(q)).toBe(0);
      expect(files.map((file) => statSync(app(file)).ino)).toEqual(inodes);
    });
  });
});
