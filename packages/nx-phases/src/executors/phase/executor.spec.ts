import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { snapshotFolderPrefix } from '../../runtime/snapshot-folders';
import { context, GENERATORS, plan } from './test-utils/phase-fixture';
import phaseExecutor from './executor';

describe('nx-phases:phase executor', () => {
  let ws: TempWorkspace;
  let errors: string[];
  const run = (phase: number) => phaseExecutor({ plan: 'apps/app/phases.json', phase }, context(ws.root));

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.installGenerators(GENERATORS);
    ws.write('apps/app/docs/brand.md', 'brand');
    errors = [];
    process.env.NX_PHASES_TEST_WORKSPACE = ws.root;
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    delete process.env.NX_PHASES_TEST_WORKSPACE;
    jest.restoreAllMocks();
    ws.dispose();
  });

  it('commits planned files, a private record and a manifest', async () => {
    ws.write('apps/app/phases.json', plan());
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(ws.read('apps/app/src/a.ts')).toBe('Setup||docs/brand.md');
    expect(ws.read('apps/app/.phases/1/files/src/a.ts')).toBe('Setup||docs/brand.md');
    const manifest = JSON.parse(ws.read('apps/app/.phases/1/manifest.json'));
    expect(Object.keys(manifest.files)).toEqual(['src/a.ts', 'src/shared.ts']);
    expect(manifest).toMatchObject({ plan: 'app', phase: { number: 1, name: 'Setup' }, generator: { use: 'test-gens:echo' } });
    expect(manifest.snapshotHash).toMatch(/^[0-9a-f]{64}$/);
    expect(ws.read('apps/app/.phases/1/inputs.sha256')).toBe(`${manifest.snapshotHash}\n`);
  });

  it('builds the snapshot from dependency records, never from live app files', async () => {
    ws.write('apps/app/phases.json', plan());
    await run(1);
    ws.write('apps/app/src/shared.ts', 'edited by a concurrent phase');
    ws.write('apps/app/src/stray.ts', 'not in any record');
    await expect(run(2)).resolves.toEqual({ success: true });
    const b = ws.read('apps/app/src/b.ts');
    expect(b).toContain('src/shared.ts=Setup||docs/brand.md');
    expect(b).not.toContain('edited by a concurrent phase');
    expect(b).not.toContain('stray');
  });

  it('lets a phase modify a file an earlier phase wrote', async () => {
    ws.write('apps/app/phases.json', plan());
    await run(1);
    await run(2);
    expect(ws.read('apps/app/src/shared.ts')).toMatch(/^Feature\|1:/);
    expect(JSON.parse(ws.read('apps/app/.phases/2/manifest.json')).files).toHaveProperty(['src/shared.ts']);
  });

  it.each([
    ['unplanned', /"src\/extra\.ts" is not in its plannedFiles\. Add "src\/extra\.ts" to phases\[1\]\.plannedFiles in apps\/app\/phases\.json/],
    ['deleter', /"docs\/brand\.md" was deleted/],
    ['escaper', /tried to write outside its app root: "\.\.\/outside\.txt"/],
    ['linker', /"src\/b\.ts" is a symlink/],
    ['thrower', /model said no/],
    ['usurper', /Phase 2 of apps\/app\/phases\.json was taken over by pid 1 on host elsewhere while this process did not renew its claim/],
  ])('rejects a %s generator and commits nothing', async (name, message) => {
    ws.write('apps/app/phases.json', plan(`test-gens:${name}`));
    await run(1);
    await expect(run(2)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(message);
    expect(ws.exists('apps/app/src/b.ts')).toBe(false);
    expect(ws.exists('apps/app/src/extra.ts')).toBe(false);
    expect(ws.exists('apps/outside.txt')).toBe(false);
    expect(ws.exists('apps/app/.phases/2/manifest.json')).toBe(false);
    expect(ws.read('apps/app/src/shared.ts')).toBe('Setup||docs/brand.md');
  });

  it('sweeps snapshots and staged temp files left by a killed phase process', async () => {
    const deadPid = spawnSync('true').pid!;
    const staleSnapshot = join(tmpdir(), `${snapshotFolderPrefix('app', 1, deadPid)}abcdef`);
    const otherPlans = [`${snapshotFolderPrefix('app-1', 1, deadPid)}abcdef`, `nx-phases-app-1-${deadPid}-abcdef`].map((name) => join(tmpdir(), name));
    for (const folder of [staleSnapshot, ...otherPlans]) mkdirSync(folder, { recursive: true });
    ws.write(`apps/app/src/.a.ts.nx-phases-${deadPid}-0badf00d.tmp`, 'half');
    ws.write(`apps/app/.phases/1/files.staging-${deadPid}-0badf00d/src/a.ts`, 'half');
    ws.write(`apps/app/.phases/1/.manifest.json.nx-phases-${deadPid}-0badf00d.tmp`, 'half');
    ws.write(`apps/app/src/.a.ts.nx-phases-${process.pid}-0badf00d.tmp`, 'a live commit');
    ws.write('apps/app/phases.json', plan());
    try {
      await expect(run(1)).resolves.toEqual({ success: true });
      expect(existsSync(staleSnapshot)).toBe(false);
      expect(otherPlans.filter((folder) => existsSync(folder))).toEqual(otherPlans);
      expect(readdirSync(join(ws.root, 'apps/app/src')).sort()).toEqual([`.a.ts.nx-phases-${process.pid}-0badf00d.tmp`, 'a.ts', 'shared.ts']);
      expect(readdirSync(join(ws.root, 'apps/app/.phases/1')).sort()).toEqual(['files', 'inputs.sha256', 'manifest.json']);
    } finally {
      for (const folder of otherPlans) rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses to commit through a symlinked folder in the app root, writing nothing outside', async () => {
    const outside = new TempWorkspace();
    try {
      ws.write('apps/app/phases.json', plan());
      symlinkSync(outside.root, join(ws.root, 'apps/app/src'));
      await expect(run(1)).resolves.toEqual({ success: false });
      expect(errors.join('\n')).toMatch(/"src" is a symlink, so "src\/a\.ts" could land outside the app root\. Fix: .*phases\[0\]\.plannedFiles in apps\/app\/phases\.json/);
      expect(readdirSync(outside.root)).toEqual([]);
      expect(ws.exists('apps/app/.phases/1/manifest.json')).toBe(false);
    } finally {
      outside.dispose();
    }
  });

  it('refuses a folder where a planned file goes, leaving no temp file or half commit', async () => {
    ws.write('apps/app/phases.json', plan());
    mkdirSync(join(ws.root, 'apps/app/src/shared.ts'), { recursive: true });
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(/"src\/shared\.ts" exists and is not a regular file/);
    expect(readdirSync(join(ws.root, 'apps/app/src'))).toEqual(['shared.ts']);
    expect(ws.exists('apps/app/.phases/1')).toBe(false);
  });

  it('rejects a context file that is a symlink', async () => {
    ws.write('apps/app/phases.json', plan());
    ws.write('secret.txt', 'outside the app');
    rmSync(join(ws.root, 'apps/app/docs/brand.md'));
    symlinkSync(join(ws.root, 'secret.txt'), join(ws.root, 'apps/app/docs/brand.md'));
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(/"docs\/brand\.md" is a symlink.*remove "docs\/brand\.md" from "context"/);
  });

  it('removes a file it committed before but no longer writes, unless another phase plans it', async () => {
    ws.write('apps/app/phases.json', plan());
    await run(1);
    const shrunk = plan();
    shrunk.phases[0].plannedFiles = ['src/shared.ts'];
    ws.write('apps/app/phases.json', shrunk);
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(ws.exists('apps/app/src/a.ts')).toBe(false);
    expect(ws.exists('apps/app/src/shared.ts')).toBe(true);
    const moved = plan();
    moved.phases[0].plannedFiles = ['src/a.ts'];
    ws.write('apps/app/phases.json', moved);
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(ws.exists('apps/app/src/shared.ts')).toBe(true);
  });

  it('commits a phase that writes no file: an empty record and a manifest', async () => {
    ws.installGenerators({ ...GENERATORS, silent: '' });
    ws.write('apps/app/phases.json', plan('test-gens:silent'));
    await run(1);
    await expect(run(2)).resolves.toEqual({ success: true });
    expect(JSON.parse(ws.read('apps/app/.phases/2/manifest.json')).files).toEqual({});
    expect(readdirSync(join(ws.root, 'apps/app/.phases/2/files'))).toEqual([]);
  });

  it('warns about a planned file that was not written', async () => {
    ws.write('apps/app/phases.json', plan('test-gens:lazy'));
    await run(1);
    await expect(run(2)).resolves.toEqual({ success: true });
    expect(JSON.parse(ws.read('apps/app/.phases/2/manifest.json')).warnings).toEqual([
      'Phase 2 (Feature) planned src/shared.ts but did not write it.',
    ]);
  });

  it('fails clearly when a dependency has not been committed', async () => {
    ws.write('apps/app/phases.json', plan());
    await expect(run(2)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(/Phase 1 \(Setup\) has no committed output/);
  });

  it('names the available generators when one is unknown', async () => {
    ws.write('apps/app/phases.json', plan('test-gens:nope'));
    await run(1);
    await expect(run(2)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(/Package test-gens has no generator named "nope".*Available: deleter, echo/);
  });
});
