import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JsonNumber } from '../../plan';
import { PhaseOutputError } from '../validate-output';
import { splitContributions } from './phase-contributions';
import { MergeApp } from './test-utils/merge-app';

const ROUTES = '// nx-phases:region routes\n// nx-phases:end routes\n';

describe('splitContributions', () => {
  let app: MergeApp;
  let root: string;
  beforeEach(() => {
    app = new MergeApp({ '.env.example': 'lines', 'package.json': 'json', 'src/routes.ts': 'regions' }, [
      { number: 1, plannedFiles: ['.env.example', 'package.json', 'src/routes.ts'] },
      { number: 2, dependencies: [1], plannedFiles: ['.env.example', 'package.json', 'src/routes.ts', 'src/cart.ts'] },
    ]);
    root = mkdtempSync(join(tmpdir(), 'nx-phases-split-'));
  });
  afterEach(() => {
    app.dispose();
    rmSync(root, { recursive: true, force: true });
  });
  const write = (files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
  };
  const output = (written: string[]) => ({
    written,
    hashes: Object.fromEntries(written.map((file) => [file, `hash of ${file}`])),
    executable: [],
    warnings: ['a warning'],
  });
  const where = (n: number) => ({ planFile: 'apps/app/phases.json', jsonPath: `phases[${n - 1}]` });
  const split = (n: number, written: string[], mergedBase: Map<string, string>) => splitContributions(output(written), { root, mergedBase }, app.plan, app.phase(n), where(n));

  it('keeps owned files in the output and turns mergeable ones into what the phase added to its base', () => {
    write({ '.env.example': 'A=1\nB=2\n', 'package.json': '{ "name": "shop", "port": 3000 }', 'src/cart.ts': 'cart', 'src/routes.ts': ROUTES.replace('// nx-phases:end', 'cart();\n// nx-phases:end') });
    const base = new Map([
      ['.env.example', 'A=1\n'],
      ['package.json', '{ "name": "shop" }'],
      ['src/routes.ts', ROUTES],
    ]);
    const result = split(2, ['.env.example', 'package.json', 'src/cart.ts', 'src/routes.ts'], base);
    expect(result.owned).toEqual({ written: ['src/cart.ts'], hashes: { 'src/cart.ts': 'hash of src/cart.ts' }, executable: [], warnings: ['a warning'] });
    expect(result.contributions).toEqual(
      new Map<string, unknown>([
        ['.env.example', { strategy: 'lines', lines: ['B=2'] }],
        ['package.json', { strategy: 'json', entries: [{ op: 'set', path: ['port'], value: new JsonNumber('3000') }] }],
        ['src/routes.ts', { strategy: 'regions', regions: [{ name: 'routes', lines: ['cart();'] }] }],
      ]),
    );
  });

  it('lets the creating phase write a regions file it has no base for', () => {
    write({ 'src/routes.ts': ROUTES });
    expect(split(1, ['src/routes.ts'], new Map()).contributions).toEqual(new Map([['src/routes.ts', { strategy: 'regions', skeleton: ROUTES, regions: [] }]]));
  });

  it('lets any phase create a json or lines file its snapshot did not have', () => {
    write({ '.env.example': 'A=1\n', 'package.json': '{ "name": "shop" }' });
    expect(split(2, ['.env.example', 'package.json'], new Map()).contributions).toEqual(
      new Map<string, unknown>([
        ['.env.example', { strategy: 'lines', lines: ['A=1'] }],
        ['package.json', { strategy: 'json', entries: [{ op: 'set', path: ['name'], value: 'shop' }] }],
      ]),
    );
  });

  it('refuses a regions file written by a phase whose snapshot had none, naming the creator and the fix', () => {
    // Its version is malformed too, but the missing base is what to fix: it is the one problem named.
    write({ 'src/routes.ts': `${ROUTES}// nx-phases:end other\n`, 'src/cart.ts': 'cart' });
    expect(() => split(2, ['src/cart.ts', 'src/routes.ts'], new Map())).toThrow(PhaseOutputError);
    expect(() => split(2, ['src/cart.ts', 'src/routes.ts'], new Map())).toThrow(
      'Phase 2 (P2) edited mergeable files in ways it may not, so nothing was committed:\n' +
        'src/routes.ts is merged as regions and created by Phase 1 (P1), but its snapshot has no src/routes.ts to add to (the creating phase did not write it). ' +
        'Fix: let the creating phase write it, or remove "src/routes.ts" from phases[1].plannedFiles in apps/app/phases.json.',
    );
    expect(() => split(2, ['src/cart.ts', 'src/routes.ts'], new Map())).not.toThrow(/nx-phases:end other/);
  });

  it('says "no single phase" when no planner comes before all others', () => {
    const { merge } = app.plan;
    const plan = { ...app.plan, merge, phases: app.plan.phases.map((p) => ({ ...p, dependencies: [] })) };
    write({ 'src/routes.ts': ROUTES });
    expect(() => splitContributions(output(['src/routes.ts']), { root, mergedBase: new Map() }, plan, plan.phases[1], where(2))).toThrow(
      'src/routes.ts is merged as regions and created by no single phase, but its snapshot has no src/routes.ts to add to',
    );
  });

  it('lists every forbidden edit of every file, and commits nothing', () => {
    write({ '.env.example': 'B=2\n', 'package.json': '{ "name": "store" }' });
    const base = new Map([
      ['.env.example', 'A=1\n'],
      ['package.json', '{ "name": "shop" }'],
    ]);
    let message = '';
    try {
      split(2, ['.env.example', 'package.json'], base);
    } catch (error) {
      expect(error).toBeInstanceOf(PhaseOutputError);
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Phase 2 (P2) edited mergeable files in ways it may not, so nothing was committed:',
      '.env.example is merged (strategy "lines"): a phase may only add entries to it, but this version',
      '  - line "A=1": removed.',
      'Fix: keep every entry the phase was given unchanged and only add new ones (new lines); to change an entry, change the phase that added it.',
      'package.json is merged (strategy "json"): a phase may only add entries to it, but this version',
      '  - name: changed from "shop" to "store".',
      'Fix: keep every entry the phase was given unchanged and only add new ones (new keys, new objects, new items in arrays of plain values); to change an entry, change the phase that added it.',
    ]);
  });

  it('passes on a failure that is not the phase\'s edit as it is', () => {
    expect(() => split(2, ['.env.example'], new Map([['.env.example', 'A=1\n']]))).toThrow(/^ENOENT: no such file or directory, open '.*\.env\.example'$/);
  });
});
