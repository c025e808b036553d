import { join, resolve } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { validManifest } from '../../test-utils/manifest';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import verifyExecutor from './executor';

/** The repo's node_modules/.bin, where tsc is (the temp workspace has no node_modules). */
const REPO_BIN = join(resolve(__dirname, '../../../../..'), 'node_modules', '.bin');

const checks = (attempts: number) => Array.from({ length: attempts }, (_, i) => ({ attempt: i + 1, passed: i === attempts - 1, durationMs: 10, diagnostics: i === attempts - 1 ? 0 : 1 }));

describe('nx-phases:verify (real tsc, committed manifests)', () => {
  let ws: TempWorkspace;
  let printed: string[];
  const savedPath = process.env.PATH;
  const run = () => verifyExecutor({ plan: 'apps/shop/phases.json', tsconfig: 'apps/shop/tsconfig.json' }, { root: ws.root, cwd: ws.root, isVerbose: false } as ExecutorContext);

  beforeEach(() => {
    ws = new TempWorkspace();
    printed = [];
    process.env.PATH = `${REPO_BIN}:${savedPath}`;
    jest.spyOn(console, 'log').mockImplementation((...args) => void printed.push(args.join(' ')));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
    ws.write('apps/shop/phases.json', { name: 'shop', phases: [1, 2, 3, 4].map((number) => ({ number, name: `P${number}`, plannedFiles: [`src/p${number}.ts`] })) });
    ws.write('apps/shop/tsconfig.json', { compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['src'] });
    ws.write('apps/shop/src/p1.ts', 'export const one: number = 1;\n');
    // 1 passed first time, 2 after one repair, 3 after two; 4 ran without a check.
    for (const [number, attempts] of [[1, 1], [2, 2], [3, 3], [4, 0]]) {
      ws.write(`apps/shop/.phases/${number}/manifest.json`, validManifest({ phase: { number, name: `P${number}` }, ...(attempts > 0 ? { checks: checks(attempts) } : {}) }));
    }
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    jest.restoreAllMocks();
    ws.dispose();
  });

  it('type-checks the app and prints the committed phases\' first-pass rate, retry rate and attempts', async () => {
    await expect(run()).resolves.toEqual({ success: true });
    const output = printed.join('\n');
    expect(output).toContain('> tsc --noEmit -p apps/shop/tsconfig.json');
    expect(output).toContain(
      'nx-phases: verify: shop: 3 phases committed with a check: 1 passed first time (33 %), 2 repaired, 6 attempts: retry rate 67 %\n' +
        'nx-phases: verify: shop: needed a repair: P2 (2 attempts), P3 (3 attempts)',
    );
  });

  it('fails with tsc\'s diagnostics when the app does not type-check, still printing the figures', async () => {
    ws.write('apps/shop/src/p2.ts', 'export const two: number = "2";\n');
    await expect(run()).resolves.toEqual({ success: false });
    const output = printed.join('\n');
    expect(output).toMatch(/src\/p2\.ts\(1,14\): error TS2322/);
    expect(output).toContain('retry rate 67 %');
  });

  it('says how to get the figures when no committed phase ran a check', async () => {
    for (const number of [1, 2, 3]) ws.write(`apps/shop/.phases/${number}/manifest.json`, validManifest({ phase: { number, name: `P${number}` } }));
    await expect(run()).resolves.toEqual({ success: true });
    expect(printed.join('\n')).toContain('no committed phase ran a check, so there is no first-pass or retry rate (declare "check" in apps/shop/phases.json)');
  });
});
