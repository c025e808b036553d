import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlan } from '../plan';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { validManifest } from '../test-utils/manifest';
import { sha256 } from './hash';
import { hashContribution } from './merge/contribution-record';
import { buildSnapshot, SnapshotError, type Snapshot } from './snapshot';

/** Real folders: a plan with context, phase 1 → 2 → 3, records written by hand as a commit leaves them. */
describe('buildSnapshot', () => {
  let ws: TempWorkspace;
  const built: Snapshot[] = [];
  const planText = {
    name: 'snap',
    context: ['docs/brand.md'],
    phases: [
      { number: 1, name: 'Setup', plannedFiles: ['src/a.ts', 'bin/run.sh'] },
      { number: 2, name: 'Data', dependencies: [1], plannedFiles: ['src/b.ts'] },
      { number: 3, name: 'Feature', dependencies: [2], plannedFiles: ['src/c.ts'] },
    ],
  };
  const plan = () => parsePlan(JSON.stringify(planText), 'apps/snap/phases.json');
  const build = (phaseNumber: number) => {
    const p = plan();
    const snapshot = buildSnapshot({ workspaceRoot: ws.root, appRoot: 'apps/snap', plan: p, phase: p.phases.find((x) => x.number === phaseNumber)! });
    built.push(snapshot);
    return snapshot;
  };
  const record = (n: number, files: Record<string, string>, executable?: string[]) => {
    for (const [file, content] of Object.entries(files)) ws.write(`apps/snap/.phases/${n}/files/${file}`, content);
    const hashes = Object.fromEntries(Object.entries(files).map(([file, content]) => [file, sha256(content)]));
    ws.write(`apps/snap/.phases/${n}/manifest.json`, validManifest({ phase: { number: n, name: 'x' }, files: hashes, ...(executable ? { executable } : {}) }));
  };
  const errorOf = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(SnapshotError);
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.write('apps/snap/docs/brand.md', 'brand');
    ws.write('apps/snap/src/live.ts', 'a file a concurrent phase is writing');
    record(1, { 'src/a.ts': 'A', 'bin/run.sh': '#!/bin/sh' }, ['bin/run.sh']);
    record(2, { 'src/b.ts': 'B' });
  });
  afterEach(() => {
    for (const snapshot of built.splice(0)) snapshot.dispose();
    ws.dispose();
  });

  it('holds exactly the context and every transitive dependency record, with execute bits, and never a live app file', () => {
    const snapshot = build(3);
    expect([...snapshot.files.keys()]).toEqual(['bin/run.sh', 'docs/brand.md', 'src/a.ts', 'src/b.ts']);
    expect(readFileSync(join(snapshot.root, 'src/a.ts'), 'utf8')).toBe('A');
    expect(statSync(join(snapshot.root, 'bin/run.sh')).mode & 0o111).not.toBe(0);
    expect(statSync(join(snapshot.root, 'src/a.ts')).mode & 0o111).toBe(0);
    expect(snapshot.dependencies.map((d) => [d.number, d.name, d.files])).toEqual([
      [1, 'Setup', ['bin/run.sh', 'src/a.ts']],
      [2, 'Data', ['src/b.ts']],
    ]);
    expect(snapshot.context).toEqual(['docs/brand.md']);
  });

  it('hashes content and execute bits: the same inputs give the same hash, a changed byte or bit another', () => {
    const first = build(3).hash;
    expect(build(3).hash).toBe(first);
    chmodSync(join(ws.root, 'apps/snap/.phases/1/files/bin/run.sh'), 0o644);
    record(1, { 'src/a.ts': 'A', 'bin/run.sh': '#!/bin/sh' });
    const noBit = build(3).hash;
    expect(noBit).not.toBe(first);
    record(1, { 'src/a.ts': 'a', 'bin/run.sh': '#!/bin/sh' });
    expect(build(3).hash).not.toBe(noBit);
    // An executable file's content counts too, not only its bit.
    record(1, { 'src/a.ts': 'A', 'bin/run.sh': '#!/bin/sh' }, ['bin/run.sh']);
    expect(build(3).hash).toBe(first);
    record(1, { 'src/a.ts': 'A', 'bin/run.sh': '#!/bin/bash' }, ['bin/run.sh']);
    expect(build(3).hash).not.toBe(first);
  });

  it('hashes the merged files: two snapshots that differ only in a dependency\'s contribution, or only in a plain file, hash differently', () => {
    const mergePlan = { ...planText, merge: { '.env.example': 'lines' }, phases: planText.phases.map((p) => (p.number === 3 ? p : { ...p, plannedFiles: [...p.plannedFiles, '.env.example'] })) };
    const buildMerged = () => {
      const p = parsePlan(JSON.stringify(mergePlan), 'apps/snap/phases.json');
      const snapshot = buildSnapshot({ workspaceRoot: ws.root, appRoot: 'apps/snap', plan: p, phase: p.phases.find((x) => x.number === 3)! });
      built.push(snapshot);
      return snapshot;
    };
    const contribute = (n: number, files: Record<string, string>, lines: string[]) => {
      record(n, files);
      const contribution = { strategy: 'lines', lines };
      ws.write(`apps/snap/.phases/${n}/contributions.json`, { '.env.example': contribution });
      const manifest = JSON.parse(ws.read(`apps/snap/.phases/${n}/manifest.json`));
      ws.write(`apps/snap/.phases/${n}/manifest.json`, { ...manifest, contributions: { '.env.example': hashContribution(contribution) } });
    };
    contribute(1, { 'src/a.ts': 'A', 'bin/run.sh': '#!/bin/sh' }, ['PORT=3000']);
    contribute(2, { 'src/b.ts': 'B' }, ['DATABASE_URL=']);
    const first = buildMerged();
    expect(readFileSync(join(first.root, '.env.example'), 'utf8')).toBe('PORT=3000\nDATABASE_URL=\n');
    expect(buildMerged().hash).toBe(first.hash);
    contribute(2, { 'src/b.ts': 'B' }, ['DATABASE_URL=postgres://db']);
    const edited = buildMerged();
    expect(readFileSync(join(edited.root, '.env.example'), 'utf8')).toBe('PORT=3000\nDATABASE_URL=postgres://db\n');
    expect(edited.hash).not.toBe(first.hash);
    // With merged files present, a changed plain file still counts.
    contribute(2, { 'src/b.ts': 'B2' }, ['DATABASE_URL=postgres://db']);
    expect(buildMerged().hash).not.toBe(edited.hash);
  });

  it('removes its folder on dispose', () => {
    const snapshot = build(2);
    expect(existsSync(snapshot.root)).toBe(true);
    snapshot.dispose();
    expect(existsSync(snapshot.root)).toBe(false);
  });

  it('refuses a missing context file, naming it and the fix', () => {
    planText.context = ['docs/missing.md'];
    try {
      expect(errorOf(() => build(1))).toBe(
        'Context file "apps/snap/docs/missing.md" does not exist. Create it, or remove "docs/missing.md" from "context" in apps/snap/phases.json.',
      );
    } finally {
      planText.context = ['docs/brand.md'];
    }
  });

  it('refuses a record whose file does not match its manifest, naming the phase and the fix', () => {
    ws.write('apps/snap/.phases/1/files/src/a.ts', 'tampered');
    expect(errorOf(() => build(2))).toBe('The record of Phase 1 (Setup) is corrupted: "src/a.ts" does not match its manifest. Re-run that phase with --skip-nx-cache.');
  });

  it('refuses a record that lacks a file its manifest lists', () => {
    record(2, { 'src/b.ts': 'B' });
    ws.write('apps/snap/.phases/2/files/src/b.ts', 'B');
    const manifest = JSON.parse(ws.read('apps/snap/.phases/2/manifest.json'));
    manifest.files['src/gone.ts'] = sha256('x');
    ws.write('apps/snap/.phases/2/manifest.json', manifest);
    expect(errorOf(() => build(3))).toBe('The record of Phase 2 (Data) lacks "src/gone.ts". Re-run that phase with --skip-nx-cache.');
  });

  it('leaves no snapshot folder behind when it refuses', () => {
    ws.write('apps/snap/.phases/1/files/src/a.ts', 'tampered');
    const before = new Set(readdirSync(tmpdir()));
    expect(() => build(2)).toThrow(SnapshotError);
    const left = readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('nx-phases-snap.2.'));
    expect(left).toEqual([]);
  });
});
