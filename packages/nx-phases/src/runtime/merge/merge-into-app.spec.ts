import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MergeConflictError } from '../../plan';
import { childOutput, tsChildEnv, tsScriptArgs, type ChildOutput } from '../../test-utils/ts-child';
import { MissingRecordError } from '../manifest';
import { UnsafePathError } from '../real-path-check';
import { describeMergedFiles, HandEditError, mergeIntoApp } from './merge-into-app';
import { MergeApp, sha } from './test-utils/merge-app';

const lines = (...added: string[]) => ({ strategy: 'lines', lines: added });
const setKey = (key: string, value: unknown) => ({ strategy: 'json', entries: [{ op: 'set', path: [key], value }] });

/** Setup (1) and two features (2, 3) adding to .env.example and package.json; phase 4 plans no mergeable file. */
function shop(): MergeApp {
  const app = new MergeApp({ '.env.example': 'lines', 'package.json': 'json', 'config/extra.json': 'json' }, [
    { number: 1, plannedFiles: ['.env.example', 'package.json', 'config/extra.json'] },
    { number: 2, dependencies: [1], plannedFiles: ['.env.example', 'package.json', 'src/cart.ts'] },
    { number: 3, dependencies: [1], plannedFiles: ['.env.example', 'src/search.ts'] },
    { number: 4, dependencies: [1], plannedFiles: ['src/docs.ts'] },
  ]);
  app.record(1, { '.env.example': lines('PORT=3000'), 'package.json': setKey('name', 'shop') });
  app.record(2, { '.env.example': lines('STRIPE_KEY='), 'package.json': setKey('zod', '^3.0.0') });
  app.record(3, { '.env.example': lines('SEARCH=on') });
  return app;
}

const ENV = 'PORT=3000\nSTRIPE_KEY=\nSEARCH=on\n';
const PKG = '{\n  "name": "shop",\n  "zod": "^3.0.0"\n}\n';

/** The app's files outside .phases, with their content. */
function appFiles(app: MergeApp): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(app.ws.root, 'apps/app', dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (path === '.phases') continue;
      if (entry.isDirectory()) visit(path);
      else found[path] = app.read(path);
    }
  };
  visit('');
  return found;
}

const CHILD = join(__dirname, 'test-utils', 'merge-child.ts');

/**
 * Runs the merge of `app` in a child process (test-utils/merge-child.ts) that may write no file larger than 4 KiB
 * (`ulimit -f 8`, in blocks of 512 bytes in the POSIX shell, of 1 KiB in others: 4 or 8 KiB), as on a full disk.
 */
function mergeInChildWithFileLimit(app: MergeApp): Promise<ChildOutput> {
  const child = spawn('sh', ['-c', 'ulimit -f 8 && exec "$0" "$@"', process.execPath, ...tsScriptArgs(CHILD, [app.ws.root, 'apps/app/phases.json'])], {
    env: tsChildEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return childOutput(child);
}

function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('mergeIntoApp', () => {
  let app: MergeApp;
  beforeEach(() => (app = shop()));
  afterEach(() => app.dispose());

  it('writes every merged file from all records, reports its contributors, and records what it wrote', () => {
    const reports = mergeIntoApp(app.ws.root, app.loaded);
    expect(reports).toEqual([
      { file: '.env.example', strategy: 'lines', contributors: [1, 2, 3], written: true },
      { file: 'package.json', strategy: 'json', contributors: [1, 2], written: true },
    ]);
    expect(app.read('.env.example')).toBe(ENV);
    expect(app.read('package.json')).toBe(PKG);
    // No phase contributed to config/extra.json: it is neither written nor recorded.
    expect(app.exists('config/extra.json')).toBe(false);
    expect(JSON.parse(app.read('.phases/merged.json'))).toEqual({ version: 1, files: { '.env.example': [sha(ENV)], 'package.json': [sha(PKG)] } });
    expect(app.read('.phases/merged.json')).toBe(`${JSON.stringify({ version: 1, files: { '.env.example': [sha(ENV)], 'package.json': [sha(PKG)] } }, null, 2)}\n`);
  });

  it('leaves a file that already holds the merge unwritten, and describes each file', () => {
    const first = mergeIntoApp(app.ws.root, app.loaded);
    const packageInode = statSync(join(app.ws.root, 'apps/app/package.json')).ino;
    app.record(3, { '.env.example': lines('SEARCH=off') });
    const second = mergeIntoApp(app.ws.root, app.loaded);
    expect(second).toEqual([
      { file: '.env.example', strategy: 'lines', contributors: [1, 2, 3], written: true },
      { file: 'package.json', strategy: 'json', contributors: [1, 2], written: false },
    ]);
    expect(app.read('.env.example')).toBe('PORT=3000\nSTRIPE_KEY=\nSEARCH=off\n');
    expect(JSON.parse(app.read('.phases/merged.json')).files['.env.example']).toEqual([sha('PORT=3000\nSTRIPE_KEY=\nSEARCH=off\n')]);
    expect(describeMergedFiles('shop', second)).toBe(
      'nx-phases: merged 2 shared files of shop:\n  .env.example (lines): 3 contributions from phases 1, 2, 3; written\n  package.json (json): 2 contributions from phases 1, 2; unchanged',
    );
    // The unchanged file was not touched at all (a rewrite, even of the same bytes, gives it a new inode).
    expect(statSync(join(app.ws.root, 'apps/app/package.json')).ino).toBe(packageInode);
    expect(describeMergedFiles('shop', [{ ...first[1], contributors: [1] }])).toBe('nx-phases: merged 1 shared file of shop:\n  package.json (json): 1 contribution from phase 1; written');
  });

  it('lists contributors by number whatever order the plan lists its phases in', () => {
    const scrambled = { ...app.loaded, plan: { ...app.plan, phases: [...app.plan.phases].reverse() } };
    expect(mergeIntoApp(app.ws.root, scrambled).map((report) => report.contributors)).toEqual([
      [1, 2, 3],
      [1, 2],
    ]);
  });

  it('does nothing for a plan without mergeable files', () => {
    const { merge: _merge, ...plan } = app.plan;
    expect(mergeIntoApp(app.ws.root, { ...app.loaded, plan })).toEqual([]);
    expect(app.exists('.phases/merged.json')).toBe(false);
  });

  it('writes nothing on a conflict, not even the files merged before it', () => {
    app.record(3, { '.env.example': lines('PORT=4000') });
    const error = thrown(() => mergeIntoApp(app.ws.root, app.loaded));
    expect(error).toBeInstanceOf(MergeConflictError);
    expect(error.message).toMatch(/^Merge conflict in \.env\.example at PORT: Phase 1 \(P1\) gives it "PORT=3000", Phase 3 \(P3\) gives it "PORT=4000"\./);
    expect(appFiles(app)).toEqual({ 'phases.json': app.read('phases.json') });
    expect(app.exists('.phases/merged.json')).toBe(false);
  });

  it('needs the record of every phase that plans a mergeable file, and no other', () => {
    rmSync(join(app.ws.root, 'apps/app/.phases/3'), { recursive: true });
    const error = thrown(() => mergeIntoApp(app.ws.root, app.loaded));
    expect(error).toBeInstanceOf(MissingRecordError);
    expect(error.message).toBe('Phase 3 (P3) has no committed output (apps/app/.phases/3/manifest.json is missing). Run its "phase" target first; Nx does this for you through dependsOn.');
    expect(appFiles(app)).toEqual({ 'phases.json': app.read('phases.json') });
    expect(app.exists('.phases/merged.json')).toBe(false);
  });

  it('refuses a merged file reached through a symlink, writing nothing', () => {
    const outside = join(app.ws.root, 'outside.env');
    writeFileSync(outside, 'SECRET=1\n');
    symlinkSync(outside, join(app.ws.root, 'apps/app/.env.example'));
    const error = thrown(() => mergeIntoApp(app.ws.root, app.loaded));
    expect(error).toBeInstanceOf(UnsafePathError);
    expect(error.message).toBe(
      '".env.example" is a symlink, so ".env.example" could land outside the app root. Fix: make it a real file inside the app root, or remove ".env.example" from "merge" in apps/app/phases.json.',
    );
    expect(app.exists('package.json')).toBe(false);
    expect(app.exists('.phases/merged.json')).toBe(false);
    expect(app.ws.read('outside.env')).toBe('SECRET=1\n');
  });

  describe('hand edits', () => {
    beforeEach(() => {
      mergeIntoApp(app.ws.root, app.loaded);
    });

    it('keeps an edited file, writes nothing, and says what differs and how to keep or drop it', () => {
      app.write('.env.example', `${ENV}DEBUG=true\n`);
      app.record(2, { '.env.example': lines('STRIPE_KEY='), 'package.json': setKey('zod', '^4.0.0') });
      const error = thrown(() => mergeIntoApp(app.ws.root, app.loaded));
      expect(error).toBeInstanceOf(HandEditError);
      expect(String(error).startsWith('HandEditError: A merged file was changed')).toBe(true);
      expect(error.message).toBe(
        [
          'A merged file was changed since the merge last wrote it, so nothing was overwritten:',
          '  apps/app/.env.example:',
          '    - added line "DEBUG=true"',
          'Fix: to keep an edit, make it part of a phase (change the phase that plans the file so it adds the entry, see "Mergeable shared files" in the README) and run again; ' +
            "to drop it and take the merged file, delete apps/app/.env.example and run again (the merge writes it from the phases' records). apps/app/phases.json merges this file.",
        ].join('\n'),
      );
      expect(app.read('.env.example')).toBe(`${ENV}DEBUG=true\n`);
      expect(app.read('package.json')).toBe(PKG);
    });

    it('names every edited file, and why it cannot tell when its record is gone', () => {
      app.write('.env.example', 'PORT=3000\n');
      app.write('package.json', '{ "name": "store", "zod": "^3.0.0" }');
      rmSync(join(app.ws.root, 'apps/app/.phases/merged.json'));
      app.record(3, { '.env.example': lines('SEARCH=off') });
      expect(thrown(() => mergeIntoApp(app.ws.root, app.loaded)).message).toBe(
        [
          '2 merged files were changed since the merge last wrote them (the merge cannot tell: .phases/merged.json is missing), so nothing was overwritten:',
          '  apps/app/.env.example:',
          '    - removed line "STRIPE_KEY="',
          '    - removed line "SEARCH=off"',
          '  apps/app/package.json:',
          '    - changed name to "store" (the merge writes "shop")',
          'Fix: to keep an edit, make it part of a phase (change the phase that plans the file so it adds the entry, see "Mergeable shared files" in the README) and run again; ' +
            "to drop it and take the merged file, delete apps/app/.env.example, apps/app/package.json and run again (the merge writes them from the phases' records). apps/app/phases.json merges these files.",
        ].join('\n'),
      );
      expect(app.exists('.phases/merged.json')).toBe(false);
    });

    it('takes a file that equals the new merge, or that the merge recorded as its own, without calling it edited', () => {
      // The user wrote exactly what the merge now writes: no edit, and it is recorded as the merge's.
      app.record(3, { '.env.example': lines('SEARCH=off') });
      app.write('.env.example', 'PORT=3000\nSTRIPE_KEY=\nSEARCH=off\n');
      rmSync(join(app.ws.root, 'apps/app/.phases/merged.json'));
      app.write('package.json', PKG);
      expect(mergeIntoApp(app.ws.root, app.loaded).map((report) => report.written)).toEqual([false, false]);
      // A merge that stopped half-way recorded both texts of a file: the older one is still the merge's.
      app.record(3, { '.env.example': lines('SEARCH=on') });
      app.write('.phases/merged.json', { version: 1, files: { '.env.example': [sha('PORT=3000\nSTRIPE_KEY=\nSEARCH=off\n'), sha('x')], 'package.json': [sha(PKG)] } });
      expect(mergeIntoApp(app.ws.root, app.loaded).map((report) => report.written)).toEqual([true, false]);
      expect(app.read('.env.example')).toBe(ENV);
    });

    it('keeps the record of a merged file no phase contributes to any more', () => {
      const extra = sha('{}\n');
      app.write('.phases/merged.json', { version: 1, files: { '.env.example': [sha(ENV)], 'package.json': [sha(PKG)], 'config/extra.json': [extra] } });
      mergeIntoApp(app.ws.root, app.loaded);
      expect(JSON.parse(app.read('.phases/merged.json')).files).toEqual({ '.env.example': [sha(ENV)], 'config/extra.json': [extra], 'package.json': [sha(PKG)] });
    });
  });

  describe('a merge that dies part-way through its writes (a full disk)', () => {
    // Real child processes on a possibly busy machine: no timing assertions.
    jest.setTimeout(120_000);

    it('leaves no partial file, and is finished by the next run, which overwrites what the dead merge left and keeps no file it wrote as an edit', async () => {
      // config/extra.json is written before package.json, in the plan's order; package.json is the large file.
      const big = new MergeApp({ 'config/extra.json': 'json', 'package.json': 'json' }, [
        { number: 1, plannedFiles: ['config/extra.json', 'package.json'] },
        { number: 2, dependencies: [1], plannedFiles: ['package.json'] },
      ]);
      try {
        const pkg = (blob: string) => `{\n  "name": "shop",\n  "blob": "${blob}"\n}\n`;
        big.record(1, { 'package.json': setKey('name', 'shop') });
        big.record(2, { 'package.json': setKey('blob', 'a'.repeat(20_000)) });
        expect(mergeIntoApp(big.ws.root, big.loaded).map((report) => report.written)).toEqual([true]);
        expect(big.read('package.json')).toBe(pkg('a'.repeat(20_000)));

        // Phase 2 changes its value, phase 1 adds a new merged file; the merge dies writing the large file.
        big.record(2, { 'package.json': setKey('blob', 'b'.repeat(20_000)) });
        big.record(1, { 'package.json': setKey('name', 'shop'), 'config/extra.json': setKey('port', 3000) });
        const died = await mergeInChildWithFileLimit(big);
        expect(died).toEqual({ code: 1, stdout: 'FAILED EFBIG\n', stderr: '' });
        expect(big.read('config/extra.json')).toBe('{\n  "port": 3000\n}\n');
        expect(big.read('package.json')).toBe(pkg('a'.repeat(20_000)));
        // The write that failed left no partial temp file in the app.
        expect(Object.keys(appFiles(big)).sort()).toEqual(['config/extra.json', 'package.json', 'phases.json']);

        // The user changes phase 1 again and runs again: both files are the merge's own, so both are overwritten.
        big.record(1, { 'package.json': setKey('name', 'shop'), 'config/extra.json': setKey('port', 4000) });
        expect(mergeIntoApp(big.ws.root, big.loaded).map((report) => report.written)).toEqual([true, true]);
        expect(big.read('config/extra.json')).toBe('{\n  "port": 4000\n}\n');
        expect(big.read('package.json')).toBe(pkg('b'.repeat(20_000)));
        expect(JSON.parse(big.read('.phases/merged.json')).files).toEqual({
          'config/extra.json': [sha('{\n  "port": 4000\n}\n')],
          'package.json': [sha(pkg('b'.repeat(20_000)))],
        });
      } finally {
        big.dispose();
      }
    });
  });
});
