import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContributionError } from '../../plan';
import { ContributionRecordError } from './contribution-record';
import { overlayMergedFiles, SnapshotMergeError } from './merged-snapshot';
import { hashesOf, MergeApp } from './test-utils/merge-app';

const lines = (...added: string[]) => ({ strategy: 'lines', lines: added });
const setKey = (key: string, value: unknown) => ({ strategy: 'json', entries: [{ op: 'set', path: [key], value }] });

/** Every file under a folder with its content. */
function filesIn(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path);
      else found[path] = readFileSync(join(root, path), 'utf8');
    }
  };
  visit('');
  return found;
}

describe('overlayMergedFiles', () => {
  let app: MergeApp;
  let root: string;
  beforeEach(() => {
    // 1 creates both files, 2 and 3 are siblings, 4 depends on both; 5 is unrelated to 2.
    app = new MergeApp({ '.env.example': 'lines', 'config/app.json': 'json' }, [
      { number: 1, plannedFiles: ['.env.example', 'config/app.json'] },
      { number: 2, dependencies: [1], plannedFiles: ['.env.example', 'src/b.ts'] },
      { number: 3, dependencies: [1], plannedFiles: ['.env.example', 'config/app.json'] },
      { number: 4, dependencies: [2, 3], plannedFiles: ['.env.example', 'src/d.ts'] },
      { number: 5, plannedFiles: ['src/e.ts'] },
    ]);
    app.record(1, { '.env.example': lines('PORT=3000'), 'config/app.json': setKey('name', 'shop') });
    app.record(2, { '.env.example': lines('DB=') });
    app.record(3, { '.env.example': lines('SEARCH=on'), 'config/app.json': setKey('search', true) });
    root = mkdtempSync(join(tmpdir(), 'nx-phases-overlay-'));
  });
  afterEach(() => {
    app.dispose();
    rmSync(root, { recursive: true, force: true });
  });
  const overlay = (number: number) => overlayMergedFiles({ workspaceRoot: app.ws.root, appRoot: app.appRoot, plan: app.plan, phase: app.phase(number) }, root);

  it('writes the merge of the transitive dependencies\' contributions only, and says who contributed', () => {
    const result = overlay(4);
    const env = 'PORT=3000\nDB=\nSEARCH=on\n';
    const config = '{\n  "name": "shop",\n  "search": true\n}\n';
    expect(filesIn(root)).toEqual({ '.env.example': env, 'config/app.json': config });
    expect(result.base).toEqual(new Map([['.env.example', env], ['config/app.json', config]]));
    const hashes = { ...hashesOf({ '.env.example': lines('PORT=3000'), 'config/app.json': setKey('name', 'shop') }) };
    expect(result.attribution).toEqual([
      [1, '.env.example', hashes['.env.example']],
      [2, '.env.example', hashesOf({ f: lines('DB=') }).f],
      [3, '.env.example', hashesOf({ f: lines('SEARCH=on') }).f],
      [1, 'config/app.json', hashes['config/app.json']],
      [3, 'config/app.json', hashesOf({ f: setKey('search', true) }).f],
    ]);
  });

  it('never shows a phase a sibling\'s contribution, and removes a mergeable file its dependencies did not write', () => {
    writeFileSync(join(root, '.env.example'), 'STALE=1\n');
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, 'config/app.json'), '{"stale":true}');
    writeFileSync(join(root, 'notes.md'), 'kept');
    app.record(1, { '.env.example': lines('PORT=3000') });
    const result = overlay(2);
    expect(filesIn(root)).toEqual({ '.env.example': 'PORT=3000\n', 'notes.md': 'kept' });
    expect(result.base).toEqual(new Map([['.env.example', 'PORT=3000\n']]));
    expect(result.attribution).toEqual([[1, '.env.example', hashesOf({ f: lines('PORT=3000') }).f]]);
  });

  it('gives a phase without dependencies nothing, and reads no record for it', () => {
    rmSync(join(app.ws.root, 'apps/app/.phases'), { recursive: true });
    writeFileSync(join(root, '.env.example'), 'STALE=1\n');
    expect(overlay(1)).toEqual({ base: new Map(), attribution: [] });
    expect(filesIn(root)).toEqual({});
  });

  it('leaves the snapshot alone for a plan without mergeable files', () => {
    writeFileSync(join(root, '.env.example'), 'OWNED=1\n');
    const { merge: _merge, ...plan } = app.plan;
    expect(overlayMergedFiles({ workspaceRoot: app.ws.root, appRoot: app.appRoot, plan, phase: app.phase(4) }, root)).toEqual({ base: new Map(), attribution: [] });
    expect(filesIn(root)).toEqual({ '.env.example': 'OWNED=1\n' });
  });

  it('names the phase whose snapshot cannot be built when its dependencies conflict', () => {
    app.record(2, { '.env.example': lines('SEARCH=off') });
    expect(() => overlay(4)).toThrow(SnapshotMergeError);
    expect(() => overlay(4)).toThrow(
      'The snapshot of Phase 4 (P4) cannot be built: its dependencies\' contributions conflict.\n' +
        'Merge conflict in .env.example at SEARCH: Phase 2 (P2) gives it "SEARCH=off", Phase 3 (P3) gives it "SEARCH=on".\n',
    );
  });

  it('passes a contribution that cannot be merged on as it is, not as a conflict', () => {
    app.record(2, { '.env.example': setKey('DB', '') });
    expect(() => overlay(4)).toThrow(ContributionError);
    expect(() => overlay(4)).toThrow(
      'The contribution of Phase 2 (P2) to .env.example cannot be merged: it was recorded for strategy "json", but the plan merges the file as "lines". Fix: re-run phase 2 with --skip-nx-cache.',
    );
  });

  it('passes a bad record on as it is', () => {
    app.record(2, { '.env.example': lines('DB=') }, hashesOf({ '.env.example': lines('DB=x') }));
    expect(() => overlay(4)).toThrow(ContributionRecordError);
    expect(() => overlay(4)).toThrow(/^The record of Phase 2 \(P2\) is not valid: the contribution to "\.env\.example" does not match its manifest\./);
  });
});
