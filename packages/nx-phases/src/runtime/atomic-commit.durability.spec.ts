import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { validManifest } from '../test-utils/manifest';
import type { CommitRequest } from './atomic-commit';
import { sha256 } from './hash';

const CHILD = join(__dirname, 'test-utils', 'commit-child.ts');
const TSCONFIG = resolve(__dirname, '../../tsconfig.spec.json');

// A real process under strace on a possibly busy machine: a generous limit, no timing assertions.
jest.setTimeout(120_000);

/** A traced system call: an fsync of a path, a rename, or the removal of a file, in the order they completed. */
type Call = { op: 'fsync'; path: string } | { op: 'rename'; from: string; to: string } | { op: 'unlink'; path: string };

/**
 * What the README promises ("Commits are durable, as git's and SQLite's are"), seen in the system calls of a real
 * commit: every file is fsynced before it is renamed into place, the folders it was renamed into (and the folder an
 * obsolete file was removed from) are fsynced before the manifest is renamed into place, last, and the manifest's
 * own file and folder are fsynced too. Only a power loss would show a missing fsync otherwise.
 */
describe('commitPhase durability, traced with strace', () => {
  let ws: TempWorkspace;
  let snapshot: string;
  const app = 'apps/shop';
  const appAbs = () => join(ws.root, app);

  beforeAll(() => {
    const probe = spawnSync('strace', ['-V']);
    if (probe.error) throw new Error('These specs need strace on the PATH (apt-get install strace): it shows which files a commit fsyncs.');
  });
  beforeEach(() => {
    ws = new TempWorkspace();
    ws.write(`${app}/phases.json`, '{}');
    ws.write(`${app}/src/old/gone.ts`, 'obsolete');
    snapshot = mkdtempSync(join(tmpdir(), 'nx-phases-durable-snapshot-'));
  });
  afterEach(() => {
    rmSync(snapshot, { recursive: true, force: true });
    ws.dispose();
  });

  function commitTraced(durable?: boolean, files: Record<string, string> = { 'src/pages/a.ts': 'A', 'bin/run.sh': '#!/bin/sh\n' }): Call[] {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(snapshot, file)), { recursive: true });
      writeFileSync(join(snapshot, file), content);
    }
    const manifest = validManifest({ phase: { number: 2, name: 'Data' }, files: Object.fromEntries(Object.entries(files).map(([f, c]) => [f, sha256(c)])) });
    if (files['bin/run.sh']) manifest.executable = ['bin/run.sh'];
    const request: CommitRequest = {
      workspaceRoot: ws.root,
      appRoot: app,
      phaseNumber: 2,
      snapshotRoot: snapshot,
      written: Object.keys(files),
      obsolete: ['src/old/gone.ts'],
      manifest,
      contributions: '{}\n',
      fixHint: 'Fix: the plan.',
      ...(durable === undefined ? {} : { durable }),
    };
    const requestFile = join(ws.root, 'request.json');
    writeFileSync(requestFile, JSON.stringify(request));
    const trace = join(ws.root, 'strace.log');
    const result = spawnSync(
      'strace',
      ['-f', '-y', '-qq', '-o', trace, '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat', process.execPath, '-r', 'ts-node/register/transpile-only', CHILD, requestFile],
      { env: { ...process.env, TS_NODE_PROJECT: TSCONFIG }, encoding: 'utf8' },
    );
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr.slice(-2000) }).toMatchObject({ status: 0, stdout: 'committed\n' });
    expect(ws.read(`${app}/.phases/2/manifest.json`)).toBe(JSON.stringify(manifest, null, 2) + '\n');
    return parseTrace(readFileSync(trace, 'utf8')).filter((call) => Object.values(call).some((path) => path.startsWith(appAbs())));
  }

  it('fsyncs every file before its rename, every changed folder before the manifest, and the manifest last', () => {
    const calls = commitTraced();
    const renames = calls.flatMap((call, at) => (call.op === 'rename' ? [{ ...call, at }] : []));
    const manifestPath = join(appAbs(), '.phases/2/manifest.json');
    const manifestRename = renames.find((rename) => rename.to === manifestPath)!;
    expect(manifestRename).toBeDefined();
    expect(renames.at(-1)).toBe(manifestRename); // the manifest is renamed into place last
    const fsyncedBetween = (path: string, from: number, to: number) => calls.slice(from, to).some((call) => call.op === 'fsync' && call.path === path);
    const problems: string[] = [];
    for (const rename of renames) {
      const inside = (path: string) => path === rename.from || path.startsWith(`${rename.from}/`);
      // What is renamed was flushed first: a temp file, or a staging folder with every file and folder in it.
      const flushedBefore = new Set(calls.slice(0, rename.at).flatMap((call) => (call.op === 'fsync' && inside(call.path) ? [call.path] : [])));
      if (!flushedBefore.has(rename.from)) problems.push(`${rel(rename.from)} renamed without an fsync before`);
      // The folder it was renamed into is flushed after it (the manifest's folder after the manifest).
      const until = rename === manifestRename ? calls.length : manifestRename.at;
      if (!fsyncedBetween(dirname(rename.to), rename.at, until)) problems.push(`${rel(dirname(rename.to))} not fsynced after ${rel(rename.to)} was renamed into it`);
    }
    const staging = renames.find((rename) => rename.to === join(appAbs(), '.phases/2/files'))!;
    for (const file of ['src/pages/a.ts', 'bin/run.sh', 'src/pages', 'src', 'bin']) {
      if (!fsyncedBetween(join(staging.from, file), 0, staging.at)) problems.push(`the record's ${file} not fsynced before the record folder was renamed`);
    }
    const removed = calls.findIndex((call) => call.op === 'unlink' && call.path === join(appAbs(), 'src/old/gone.ts'));
    expect(removed).toBeGreaterThanOrEqual(0);
    if (!fsyncedBetween(join(appAbs(), 'src/old'), removed, manifestRename.at)) problems.push('src/old not fsynced after its obsolete file was removed');
    expect(problems).toEqual([]);
  });

  it('fsyncs the new record folder before renaming it into place also when the phase wrote no file', () => {
    const calls = commitTraced(undefined, {});
    const recordFolder = join(appAbs(), '.phases/2/files');
    const at = calls.findIndex((call) => call.op === 'rename' && call.to === recordFolder);
    expect(at).toBeGreaterThan(0);
    const staging = (calls[at] as { from: string }).from;
    expect(calls.slice(0, at).filter((call) => call.op === 'fsync' && call.path === staging)).toHaveLength(1);
    expect(calls.slice(at).some((call) => call.op === 'fsync' && call.path === dirname(recordFolder))).toBe(true);
  });

  it('fsyncs nothing when asked not to be durable (for measuring its cost), and commits the same files', () => {
    expect(commitTraced(false).filter((call) => call.op === 'fsync')).toEqual([]);
  });

  const rel = (path: string) => path.slice(appAbs().length + 1) || '.';
});

/** Parses `strace -f -y -qq` output, joining calls that another thread interrupted (`<unfinished ...>`), in completion order. */
function parseTrace(text: string): Call[] {
  const pending = new Map<string, string>();
  const calls: Call[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, rest] = match;
    let call = rest;
    if (call.endsWith('<unfinished ...>')) {
      pending.set(pid, call.slice(0, -'<unfinished ...>'.length).trimEnd());
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(call);
    if (resumed) {
      call = (pending.get(pid) ?? '') + resumed[1];
      pending.delete(pid);
    }
    if (!/= 0$/.test(call)) continue; // failed calls change nothing
    const parsed = parseCall(call);
    if (parsed) calls.push(parsed);
  }
  return calls;
}

function parseCall(call: string): Call | undefined {
  const strings = [...call.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  const fdPath = /^f(?:data)?sync\(\d+<(.*)>\)/.exec(call);
  if (fdPath) return { op: 'fsync', path: fdPath[1] };
  if (/^rename(at2?)?\(/.test(call) && strings.length === 2) return { op: 'rename', from: absolute(call, strings[0], 0), to: absolute(call, strings[1], 1) };
  if (/^unlink(at)?\(/.test(call) && strings.length === 1) return { op: 'unlink', path: absolute(call, strings[0], 0) };
  return undefined;
}

/** A path argument as an absolute path: strace -y shows a directory fd as `3</dir>` before a relative name. */
function absolute(call: string, path: string, index: number): string {
  if (path.startsWith('/')) return path;
  const dirs = [...call.matchAll(/\d+<([^>]*)>, "/g)].map((m) => m[1]);
  return join(dirs[index] ?? '/', path);
}
