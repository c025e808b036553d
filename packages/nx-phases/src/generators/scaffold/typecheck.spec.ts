import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { SHOP_PHASES, phase, runSequence, runWithSnapshots } from './test-utils/shop-plan';
import { tempFolders, typeCheck } from './test-utils/temp-app';

jest.setTimeout(120_000);

const folders = tempFolders('scaffold-typecheck');
afterAll(() => folders.cleanup());

/** Files outside the domain conventions, written by the generic templates. */
const GENERIC_PHASE = phase({
  number: 12,
  name: 'Extras',
  domain: 'docs',
  dependencies: [1],
  features: ['Notes & "quotes"', "Owner's guide"],
  plannedFiles: ['docs/notes.md', 'config/settings.json', 'src/utils/format.ts', 'src/widgets/StatusBadge.tsx', 'src/types/env.d.ts', 'public/about.html', 'LICENSE'],
});

const UNUSED = ['--noUnusedLocals', '--noUnusedParameters'];

async function sequentialApp(): Promise<string> {
  const root = folders.create();
  await runSequence(root, 'Shop', [...SHOP_PHASES, GENERIC_PHASE]);
  return root;
}

async function snapshotApp(isolated: boolean): Promise<string> {
  const scratch = folders.create();
  const root = mkdtempSync(join(scratch, 'app-'));
  const phases = isolated ? SHOP_PHASES.map((target) => ({ ...target, dependencies: [] })) : SHOP_PHASES;
  await runWithSnapshots(scratch, root, 'Shop', phases);
  return root;
}

describe('scaffold output type-checks (tsc --noEmit -p <app>/tsconfig.json, the tsconfig Setup writes)', () => {
  // The three apps are generated and type-checked in parallel; each test asserts one result.
  let results: Array<{ status: number | null; output: string }>;
  beforeAll(async () => {
    const [sequential, snapshots, isolated] = [await sequentialApp(), await snapshotApp(false), await snapshotApp(true)];
    results = await Promise.all([typeCheck(sequential), typeCheck(snapshots, UNUSED), typeCheck(isolated, UNUSED)]);
  });

  const expectClean = (result: { status: number | null; output: string }) => {
    if (result.status !== 0) console.error(`tsc failed:\n${result.output}`);
    expect(result).toEqual({ status: 0, output: '' });
  };

  it('after the 12-phase shop sequence run in dependency order on one folder', () => expectClean(results[0]));

  it('when every phase sees only its transitive dependencies (as in the executor), with no unused code', () =>
    expectClean(results[1]));

  it('when every phase runs without any dependency output and the outputs are overlaid', () => expectClean(results[2]));
});
