import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { validManifest } from '../test-utils/manifest';
import { commitPhase, writeFileAtomically, type CommitRequest } from './atomic-commit';
import { sha256 } from './hash';

/** Every file below `root`, relative, sorted (temp and staging leftovers included). */
function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(root, join(rel, entry.name)) : [join(rel, entry.name)]))
    .sort();
}

describe('commitPhase, over real folders', () => {
  let ws: TempWorkspace;
  let snapshot: string;
  const app = 'apps/shop';
  const put = (files: Record<string, string>) => {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(snapshot, file)), { recursive: true });
      writeFileSync(join(snapshot, file), content);
    }
  };
  const request = (files: Record<string, string>, extra: Partial<CommitRequest> = {}): CommitRequest => ({
    workspaceRoot: ws.root,
    appRoot: app,
    phaseNumber: 2,
    snapshotRoot: snapshot,
    written: Object.keys(files),
    obsolete: [],
    manifest: validManifest({ phase: { number: 2, name: 'Data' }, snapshotHash: 'b'.repeat(64), files: Object.fromEntries(Object.entries(files).map(([f, c]) => [f, sha256(c)])) }),
    fixHint: 'Fix: the plan.',
    ...extra,
  });

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.write(`${app}/phases.json`, '{}');
    snapshot = mkdtempSync(join(tmpdir(), 'nx-phases-commit-snapshot-'));
  });
  afterEach(() => {
    rmSync(snapshot, { recursive: true, force: true });
    ws.dispose();
  });

  it('writes the files into the app and the record, the digest, the sorted executables list, the contributions and the manifest', async () => {
    const files = { 'src/b.ts': 'B', 'bin/z.sh': '#!/bin/sh', 'bin/a.sh': '#!/bin/sh a' };
    put(files);
    const req = request(files, { contributions: '{"package.json":{}}\n' });
    req.manifest.executable = ['bin/z.sh', 'bin/a.sh'];
    await commitPhase(req);
    expect(listFiles(join(ws.root, app))).toEqual([
      '.phases/2/contributions.json',
      '.phases/2/executables.txt',
      '.phases/2/files/bin/a.sh',
      '.phases/2/files/bin/z.sh',
      '.phases/2/files/src/b.ts',
      '.phases/2/inputs.sha256',
      '.phases/2/manifest.json',
      'bin/a.sh',
      'bin/z.sh',
      'phases.json',
      'src/b.ts',
    ]);
    expect(ws.read(`${app}/src/b.ts`)).toBe('B');
    expect(ws.read(`${app}/.phases/2/files/bin/z.sh`)).toBe('#!/bin/sh');
    expect(ws.read(`${app}/.phases/2/inputs.sha256`)).toBe(`${'b'.repeat(64)}\n`);
    expect(ws.read(`${app}/.phases/2/executables.txt`)).toBe('bin/a.sh\nbin/z.sh\n');
    expect(ws.read(`${app}/.phases/2/contributions.json`)).toBe('{"package.json":{}}\n');
    expect(ws.read(`${app}/.phases/2/manifest.json`)).toBe(JSON.stringify(req.manifest, null, 2) + '\n');
    for (const file of ['bin/z.sh', '.phases/2/files/bin/z.sh']) expect(statSync(join(ws.root, app, file)).mode & 0o111).not.toBe(0);
    for (const file of ['src/b.ts', '.phases/2/files/src/b.ts']) expect(statSync(join(ws.root, app, file)).mode & 0o111).toBe(0);
  });

  it('replaces the previous record whole: drops its files, its stale executables list and contributions, and the obsolete app files', async () => {
    put({ 'src/b.ts': 'B', 'src/old.ts': 'old', 'bin/a.sh': 'x' });
    const first = request({ 'src/b.ts': 'B', 'src/old.ts': 'old', 'bin/a.sh': 'x' }, { contributions: '{}\n' });
    first.manifest.executable = ['bin/a.sh'];
    await commitPhase(first);
    put({ 'src/b.ts': 'B2' });
    await commitPhase(request({ 'src/b.ts': 'B2' }, { obsolete: ['src/old.ts'], durable: false }));
    expect(listFiles(join(ws.root, app))).toEqual([
      '.phases/2/files/src/b.ts',
      '.phases/2/inputs.sha256',
      '.phases/2/manifest.json',
      'bin/a.sh', // not obsolete: only the listed obsolete files are removed
      'phases.json',
      'src/b.ts',
    ]);
    expect(ws.read(`${app}/src/b.ts`)).toBe('B2');
  });

  it('commits nothing and leaves nothing staged when staging fails: the previous commit stays whole', async () => {
    put({ 'src/b.ts': 'B' });
    await commitPhase(request({ 'src/b.ts': 'B' }));
    const before = listFiles(join(ws.root, app));
    const manifest = ws.read(`${app}/.phases/2/manifest.json`);
    put({ 'src/b.ts': 'B2' });
    await expect(commitPhase(request({ 'src/b.ts': 'B2', 'src/missing.ts': 'never written' }, { contributions: '{}' }))).rejects.toThrow(/ENOENT/);
    expect(listFiles(join(ws.root, app))).toEqual(before);
    expect(ws.read(`${app}/src/b.ts`)).toBe('B');
    expect(ws.read(`${app}/.phases/2/manifest.json`)).toBe(manifest);
  });

  it('fails, leaving no staged file behind and no manifest, when a rename fails after staging (a folder put in the way meanwhile)', async () => {
    const files = { 'src/a.ts': 'A', 'src/b.ts': 'B', 'src/c.ts': 'C' };
    put(files);
    const committing = commitPhase(request(files, { contributions: '{}\n' }));
    // commitPhase has staged every file and now awaits its fsyncs: a folder appears where src/b.ts goes.
    mkdirSync(join(ws.root, app, 'src/b.ts/in-the-way'), { recursive: true });
    await expect(committing).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    // src/a.ts was renamed before the failure; the other staged files and the record's staging folder are gone,
    // and there is no manifest, so no run takes this half commit for a committed phase.
    expect(listFiles(join(ws.root, app))).toEqual(['phases.json', 'src/a.ts']);
    expect(readdirSync(join(ws.root, app, '.phases/2'))).toEqual([]);
  });

  it('fails, leaving nothing staged, when a staged file is deleted by someone else before its rename', async () => {
    const files = { 'src/a.ts': 'A', 'src/b.ts': 'B' };
    put(files);
    const committing = commitPhase(request(files, { contributions: '{}\n' }));
    // Staged synchronously; while commitPhase awaits its fsyncs, the staged src/a.ts disappears.
    const [stagedA] = readdirSync(join(ws.root, app, 'src')).filter((name) => name.startsWith('.a.ts.nx-phases-'));
    rmSync(join(ws.root, app, 'src', stagedA));
    await expect(committing).rejects.toThrow(/ENOENT/);
    expect(listFiles(join(ws.root, app))).toEqual(['phases.json']);
    expect(readdirSync(join(ws.root, app, 'src'))).toEqual([]);
    expect(readdirSync(join(ws.root, app, '.phases/2'))).toEqual([]);
  });

  it('commits a phase that wrote no file: an empty record folder, the digest and the manifest', async () => {
    await commitPhase(request({}));
    expect(listFiles(join(ws.root, app))).toEqual(['.phases/2/inputs.sha256', '.phases/2/manifest.json', 'phases.json']);
    expect(readdirSync(join(ws.root, app, '.phases/2/files'))).toEqual([]);
  });

  it('commits when an obsolete file is already gone, and leaves the record files it writes itself not executable', async () => {
    put({ 'bin/a.sh': 'x' });
    ws.write(`${app}/src/kept.ts`, 'kept'); // the folder is there; the obsolete file in it was deleted by hand
    const req = request({ 'bin/a.sh': 'x' }, { obsolete: ['src/gone.ts'], contributions: '{}\n' });
    req.manifest.executable = ['bin/a.sh'];
    await commitPhase(req);
    for (const file of ['inputs.sha256', 'executables.txt', 'contributions.json', 'manifest.json']) {
      expect({ file, x: statSync(join(ws.root, app, '.phases/2', file)).mode & 0o111 }).toEqual({ file, x: 0 });
    }
  });

  it('completes the commit when the folder of an obsolete file was deleted by hand meanwhile (durable)', async () => {
    put({ 'src/b.ts': 'B', 'src/old/x.ts': 'old' });
    await commitPhase(request({ 'src/b.ts': 'B', 'src/old/x.ts': 'old' }));
    // The user deletes the obsolete file's whole folder after the run listed it as obsolete.
    rmSync(join(ws.root, app, 'src/old'), { recursive: true });
    put({ 'src/b.ts': 'B2' });
    const second = request({ 'src/b.ts': 'B2' }, { obsolete: ['src/old/x.ts'] });
    await commitPhase(second);
    expect(listFiles(join(ws.root, app))).toEqual(['.phases/2/files/src/b.ts', '.phases/2/inputs.sha256', '.phases/2/manifest.json', 'phases.json', 'src/b.ts']);
    expect(ws.read(`${app}/src/b.ts`)).toBe('B2');
    expect(ws.read(`${app}/.phases/2/manifest.json`)).toBe(JSON.stringify(second.manifest, null, 2) + '\n');
  });

  it.each([
    ['a ".." segment', '../escape.ts', '"../escape.ts" contains a ".." segment and could leave the app root. Fix: the plan.'],
    ['a ".." segment after a folder', 'src/../../escape.ts', '"src/../../escape.ts" contains a ".." segment and could leave the app root. Fix: the plan.'],
    ['a ".." segment with a backslash', 'src\\..\\..\\escape.ts', '"src\\\\..\\\\..\\\\escape.ts" contains a ".." segment and could leave the app root. Fix: the plan.'],
    ['an absolute path', '/escape.ts', '"/escape.ts" is an absolute path and could leave the app root. Fix: the plan.'],
    ['a drive letter', 'C:/escape.ts', '"C:/escape.ts" is an absolute path and could leave the app root. Fix: the plan.'],
    ['a leading backslash', '\\escape.ts', '"\\\\escape.ts" is an absolute path and could leave the app root. Fix: the plan.'],
  ])('refuses a written path with %s before writing anything', async (_kind, file, message) => {
    put({ 'src/b.ts': 'B' });
    const outside = join(snapshot, file); // a file there, so only the refusal stops the commit
    mkdirSync(dirname(outside), { recursive: true });
    writeFileSync(outside, 'E');
    try {
      const before = listFiles(join(ws.root, 'apps'));
      await expect(commitPhase(request({ 'src/b.ts': 'B', [file]: 'E' }))).rejects.toThrow(message);
      expect(listFiles(join(ws.root, 'apps'))).toEqual(before);
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('refuses an obsolete path outside the app root, deleting nothing there or anywhere', async () => {
    ws.write('apps/victim.ts', 'not the phase\'s');
    put({ 'src/b.ts': 'B' });
    const before = listFiles(join(ws.root, 'apps'));
    await expect(commitPhase(request({ 'src/b.ts': 'B' }, { obsolete: ['../victim.ts'] }))).rejects.toThrow(
      '"../victim.ts" contains a ".." segment and could leave the app root. Fix: the plan.',
    );
    expect(listFiles(join(ws.root, 'apps'))).toEqual(before);
  });

  it('refuses a symlinked record folder or record file, naming the folder to make real', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'nx-phases-outside-'));
    try {
      mkdirSync(join(ws.root, app, '.phases/2'), { recursive: true });
      symlinkSync(join(outside, 'm.json'), join(ws.root, app, '.phases/2/manifest.json'));
      await expect(commitPhase(request({}))).rejects.toThrow(
        '".phases/2/manifest.json" is a symlink, so ".phases/2/manifest.json" could land outside the app root. Fix: make "apps/shop/.phases/2" a real folder inside the app root (no symlink on the way), then run the phase again.',
      );
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses a written path through a symlinked folder before writing anything, with the fix hint', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'nx-phases-outside-'));
    try {
      symlinkSync(outside, join(ws.root, app, 'src'));
      put({ 'src/b.ts': 'B' });
      await expect(commitPhase(request({ 'src/b.ts': 'B' }))).rejects.toThrow('Fix: the plan.');
      expect(listFiles(join(ws.root, app))).toEqual(['phases.json', 'src']);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
  it('removes the temp files and record staging a killed commit left (its process gone) where it writes, and keeps those of a live process', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number; // exited and reaped: its pid names no process
    const files = { 'src/b.ts': 'B' };
    put(files);
    const root = join(ws.root, app);
    ws.write(`${app}/src/.b.ts.nx-phases-${dead}-0123abcd.tmp`, 'half a file');
    ws.write(`${app}/src/.c.ts.nx-phases-${process.pid}-0123abcd.tmp`, 'in flight');
    ws.write(`${app}/.phases/2/files.staging-${dead}-0123abcd/src/b.ts`, 'half a record');
    await commitPhase(request(files));
    expect(listFiles(root)).toEqual([
      '.phases/2/files/src/b.ts',
      '.phases/2/inputs.sha256',
      '.phases/2/manifest.json',
      'phases.json',
      `src/.c.ts.nx-phases-${process.pid}-0123abcd.tmp`,
      'src/b.ts',
    ]);
  });
});

describe('writeFileAtomically', () => {
  it('throws the cause when the write fails before its temp file exists (a file where its folder goes), leaving that file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-phases-atomic-'));
    try {
      writeFileSync(join(dir, 'src'), 'a file');
      expect(() => writeFileAtomically(join(dir, 'src/a.txt'), 'one')).toThrow(`EEXIST: file already exists, mkdir '${join(dir, 'src')}'`);
      expect(listFiles(dir)).toEqual(['src']);
      expect(readFileSync(join(dir, 'src'), 'utf8')).toBe('a file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes its temp file and throws the cause when the write fails after the temp file exists (a folder where the file goes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-phases-atomic-'));
    try {
      writeFileSync(join(dir, 'keep.txt'), 'kept');
      mkdirSync(join(dir, 'a.txt'));
      writeFileSync(join(dir, 'a.txt/inside.txt'), 'in the way');
      expect(() => writeFileAtomically(join(dir, 'a.txt'), 'one')).toThrow(/^EISDIR: illegal operation on a directory, rename '.+' -> '.+a\.txt'$/);
      expect(listFiles(dir)).toEqual(['a.txt/inside.txt', 'keep.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the file with its content and leaves no temp file, durable or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-phases-atomic-'));
    try {
      writeFileAtomically(join(dir, 'a.txt'), 'one', { durable: true });
      writeFileAtomically(join(dir, 'a.txt'), 'two');
      expect(listFiles(dir)).toEqual(['a.txt']);
      expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('two');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
