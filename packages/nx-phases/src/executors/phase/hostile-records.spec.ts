import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { context, GENERATORS, plan } from './test-utils/phase-fixture';
import phaseExecutor from './executor';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Manifests, records and `.phases` folders are untrusted: the executor checks them before reading, writing or
 * deleting. Names from disk are printed escaped, and long problem lists are summarised.
 */
describe('nx-phases:phase executor with tampered records and hostile output', () => {
  let ws: TempWorkspace;
  let outside: TempWorkspace;
  let errors: string[];
  const run = (phase: number) => phaseExecutor({ plan: 'apps/app/phases.json', phase }, context(ws.root));
  const manifestPath = (n: number) => `apps/app/.phases/${n}/manifest.json`;
  const manifest = (n: number) => JSON.parse(ws.read(manifestPath(n)));
  const listOutside = () => readdirSync(outside.root, { recursive: true }).map(String).sort();

  beforeEach(() => {
    ws = new TempWorkspace();
    outside = new TempWorkspace();
    ws.installGenerators({
      ...GENERATORS,
      newline: `tree.write('src/evil\\n NX   Successfully ran target phase for 99 projects', 'x');`,
      flood: `for (let i = 0; i < 5000; i++) tree.write('junk/' + i + '.txt', 'x');`,
    });
    ws.write('apps/app/docs/brand.md', 'brand');
    ws.write('apps/app/phases.json', plan());
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    ws.dispose();
    outside.dispose();
  });

  it('refuses a previous manifest whose key leaves the app root, deleting nothing', async () => {
    await run(1);
    ws.write('victim.txt', 'precious');
    const tampered = manifest(1);
    tampered.files['../../victim.txt'] = sha256('precious');
    ws.write(manifestPath(1), tampered);
    await expect(run(1)).resolves.toEqual({ success: false });
    const message = errors.join('\n');
    expect(message).toContain('apps/app/.phases/1/manifest.json is not a valid nx-phases manifest');
    expect(message).toContain('"files" key "../../victim.txt" contains a ".." segment');
    expect(message).toContain('Fix: delete the folder apps/app/.phases/1');
    expect(ws.read('victim.txt')).toBe('precious');
  });

  it.each([
    ['a ".." key', (target: string) => `../${target}`],
    ['an absolute key', (target: string) => join(tmpdir(), target)],
    ['a reserved key', () => 'node_modules/planted.txt'],
    ['a key not in normal form', () => 'src/./planted.txt'],
  ])('refuses a dependency manifest with %s, creating nothing outside the snapshot', async (_, key) => {
    const planted = `planted-${process.pid}-${Date.now()}.txt`;
    await run(1);
    const tampered = manifest(1);
    tampered.files[key(planted)] = sha256('planted');
    ws.write(manifestPath(1), tampered);
    await expect(run(2)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(/apps\/app\/\.phases\/1\/manifest\.json is not a valid nx-phases manifest[^]*"files" key/);
    expect(existsSync(join(tmpdir(), planted))).toBe(false);
    expect(ws.exists('apps/app/.phases/2')).toBe(false);
  });

  it('refuses a manifest of the wrong shape, listing the problems', async () => {
    await run(1);
    ws.write(manifestPath(1), { ...manifest(1), files: { 'src/a.ts': 'nope' }, usage: { calls: '1\nNX fake' } });
    await expect(run(2)).resolves.toEqual({ success: false });
    const message = errors.join('\n');
    expect(message).toMatch(/is not a valid nx-phases manifest[^]*\n {2}- .*\n {2}- .*\nFix: /);
    expect(message).toContain('"files" value of "src/a.ts" must be a sha256 in hex, got "nope"');
    expect(message).toContain('"usage" must be an object with the numbers calls, retries, promptTokens, completionTokens, waitMs, got {"calls":"1\\nNX fake"}');
    expect(message).not.toContain('1\nNX fake');
  });

  it('refuses to write the record through a symlinked .phases folder', async () => {
    mkdirSync(join(ws.root, 'apps/app'), { recursive: true });
    symlinkSync(outside.root, join(ws.root, 'apps/app/.phases'));
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toContain('".phases" is a symlink, so ".phases/1/manifest.json" could land outside the app root.');
    expect(listOutside()).toEqual([]);
    expect(ws.exists('apps/app/src/a.ts')).toBe(false);
  });

  it('refuses a symlinked .phases/<n> folder, deleting nothing in its target', async () => {
    writeFileSync(join(outside.root, 'important.txt'), 'keep');
    mkdirSync(join(outside.root, 'files'));
    writeFileSync(join(outside.root, 'files', 'important.txt'), 'keep');
    mkdirSync(join(ws.root, 'apps/app/.phases'), { recursive: true });
    symlinkSync(outside.root, join(ws.root, 'apps/app/.phases/1'));
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toContain('".phases/1" is a symlink');
    expect(listOutside()).toEqual(['files', 'files/important.txt', 'important.txt']);
  });

  it('refuses a dependency record whose folder is a symlink, reading nothing through it', async () => {
    await run(1);
    writeFileSync(join(outside.root, 'a.ts'), 'Setup||docs/brand.md');
    const record = join(ws.root, 'apps/app/.phases/1/files/src');
    readdirSync(record).forEach((name) => writeFileSync(join(outside.root, name), ws.read(`apps/app/.phases/1/files/src/${name}`)));
    rmSync(record, { recursive: true });
    symlinkSync(outside.root, record);
    await expect(run(2)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toContain('".phases/1/files/src" is a symlink');
    expect(ws.exists('apps/app/.phases/2')).toBe(false);
  });

  it('leaves an obsolete file in place when it changed since the phase committed it', async () => {
    await run(1);
    ws.write('apps/app/src/a.ts', 'edited by hand');
    const shrunk = plan();
    shrunk.phases[0].plannedFiles = ['src/shared.ts'];
    ws.write('apps/app/phases.json', shrunk);
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(ws.read('apps/app/src/a.ts')).toBe('edited by hand');
  });

  it('prints a file name with a line break escaped, so it cannot forge log lines', async () => {
    ws.write('apps/app/phases.json', plan('test-gens:newline'));
    await run(1);
    await expect(run(2)).resolves.toEqual({ success: false });
    const message = errors.join('\n');
    expect(message).toContain('"src/evil\\n NX   Successfully ran target phase for 99 projects" is not in its plannedFiles');
    expect(message.split('\n').filter((line) => line.trimStart().startsWith('NX'))).toEqual([]);
  });

  it('summarises 5,000 unplanned files as the first 20 and a count', async () => {
    ws.write('apps/app/phases.json', plan('test-gens:flood'));
    await run(1);
    await expect(run(2)).resolves.toEqual({ success: false });
    const lines = errors.join('\n').split('\n');
    expect(lines.filter((line) => line.includes('is not in its plannedFiles'))).toHaveLength(20);
    expect(lines).toContain('  - … and 4,980 more (5,000 in total)');
    expect(lines.length).toBeLessThan(30);
  });
});
