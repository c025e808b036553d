import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeSharedFilesStep } from './merge-step';
import { MergeApp } from './test-utils/merge-app';

const lines = (...added: string[]) => ({ strategy: 'lines', lines: added });
const HEAD = 'nx-phases: the shared files of apps/app/phases.json were not merged, and the app was left as it was.\n';

describe('mergeSharedFilesStep', () => {
  let app: MergeApp;
  let printed: string[];
  let errors: string[];
  const verbose = process.env.NX_VERBOSE_LOGGING;
  beforeEach(() => {
    app = new MergeApp({ '.env.example': 'lines', '.gitignore': 'lines' }, [
      { number: 1, plannedFiles: ['.env.example', '.gitignore'] },
      { number: 2, dependencies: [1], plannedFiles: ['.env.example'] },
    ]);
    app.record(1, { '.env.example': lines('A=1') });
    app.record(2, { '.env.example': lines('B=2') });
    printed = [];
    errors = [];
    process.env.NX_VERBOSE_LOGGING = 'true';
  });
  afterEach(() => {
    app.dispose();
    if (verbose === undefined) delete process.env.NX_VERBOSE_LOGGING;
    else process.env.NX_VERBOSE_LOGGING = verbose;
  });
  const step = () => mergeSharedFilesStep(app.ws.root, app.loaded, (text) => printed.push(text), (text) => errors.push(text));

  it('merges, prints what it did and succeeds', () => {
    expect(step()).toBe(true);
    expect(printed).toEqual(['nx-phases: merged 1 shared file of shop:\n  .env.example (lines): 2 contributions from phases 1, 2; written']);
    expect(errors).toEqual([]);
    expect(app.read('.env.example')).toBe('A=1\nB=2\n');
  });

  it('prints nothing when no phase added to a mergeable file', () => {
    app.record(1, {});
    app.record(2, {});
    expect(step()).toBe(true);
    expect(printed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('fails on a conflict, printing the error without a stack trace even when verbose', () => {
    app.record(2, { '.env.example': lines('A=2') });
    expect(step()).toBe(false);
    expect(errors).toEqual([
      `${HEAD}Merge conflict in .env.example at A: Phase 1 (P1) gives it "A=1", Phase 2 (P2) gives it "A=2".\n` +
        'Fix: change one of the two phases so that they agree — use another key (or entry) in one of them, or make phase 2 depend on phase 1 so that it sees "A=1" and keeps it.',
    ]);
    expect(printed).toEqual([]);
    expect(app.exists('.env.example')).toBe(false);
  });

  it.each([
    ['a missing record', (a: MergeApp) => rmSync(join(a.ws.root, 'apps/app/.phases/2'), { recursive: true }), /^Phase 2 \(P2\) has no committed output/],
    ['a malformed manifest', (a: MergeApp) => a.ws.write('apps/app/.phases/2/manifest.json', '{'), /^apps\/app\/\.phases\/2\/manifest\.json is not a valid nx-phases manifest/],
    ['a bad contribution', (a: MergeApp) => a.record(2, { '.env.example': { strategy: 'lines', lines: 'B=2' } }), /^The contribution of Phase 2 \(P2\) to \.env\.example cannot be merged/],
    ['a tampered record', (a: MergeApp) => a.ws.write('apps/app/.phases/2/contributions.json', { '.env.example': lines('B=3') }), /^The record of Phase 2 \(P2\) is not valid/],
    ['a hand edit', (a: MergeApp) => a.write('.env.example', 'MINE=1\n'), /^A merged file was changed since the merge last wrote it/],
  ])('fails on %s without a stack trace', (_, spoil, message) => {
    spoil(app);
    expect(step()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(HEAD)).toBe(true);
    expect(errors[0].slice(HEAD.length)).toMatch(message);
    expect(errors[0]).not.toMatch(/\n\s+at /);
  });

  it('fails on a merged file that is a symlink in the app without a stack trace, also when verbose', () => {
    const outside = join(app.ws.root, 'outside.env');
    writeFileSync(outside, 'SECRET=1\n');
    symlinkSync(outside, join(app.ws.root, 'apps/app/.env.example'));
    expect(step()).toBe(false);
    expect(errors).toEqual([
      HEAD + '".env.example" is a symlink, so ".env.example" could land outside the app root. Fix: make it a real file inside the app root, or remove ".env.example" from "merge" in apps/app/phases.json.',
    ]);
    expect(readFileSync(outside, 'utf8')).toBe('SECRET=1\n');
  });

  it('fails on an unexpected error (the disk full), with its stack only when verbose', () => {
    // A full disk cannot be made for a test run as root: the rename of the merged file fails as it would.
    const full = Object.assign(new Error('ENOSPC: no space left on device, rename'), { code: 'ENOSPC' });
    const rename = jest.spyOn(require('node:fs') as typeof import('node:fs'), 'renameSync').mockImplementation(() => {
      throw full;
    });
    try {
      expect(step()).toBe(false);
      expect(errors[0]).toMatch(new RegExp(`^${escape(HEAD + full.message)}\\nError: ${escape(full.message)}\\n\\s+at `));
      process.env.NX_VERBOSE_LOGGING = 'false';
      expect(step()).toBe(false);
      expect(errors[1]).toBe(HEAD + full.message);
    } finally {
      rename.mockRestore();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
