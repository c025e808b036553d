import { createServer, type Server } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Phase } from '../../plan/types';
import { FsTree } from '../../runtime/nx-tree';
import commandGenerator from './generator';
import type { CommandGeneratorSchema } from './schema';

jest.setTimeout(60_000);

const phase: Phase = {
  number: 4,
  name: 'Tools',
  domain: 'feature',
  description: '',
  features: [],
  dependencies: [],
  plannedFiles: ['out.txt'],
  predictedFiles: false,
};
const where = { planFile: 'apps/shop/phases.json', jsonPath: 'phases[3].generator.options' };

/** The `sandbox` option: bubblewrap with the snapshot writable, everything else read-only, a private HOME and TMPDIR. */
describe('nx-phases:command with "sandbox"', () => {
  let snapshot: string;
  let sentinel: string;
  const options = (command: string, sandbox: CommandGeneratorSchema['sandbox'] = true): CommandGeneratorSchema => ({
    command,
    sandbox,
    plan: { name: 'shop', appRoot: 'apps/shop' },
    phase,
    dependencies: [],
    context: [],
    runtime: { where, progress: () => undefined } as unknown as CommandGeneratorSchema['runtime'],
  });
  const run = (command: string, sandbox?: CommandGeneratorSchema['sandbox']) => commandGenerator(new FsTree(snapshot, false), options(command, sandbox));
  const sentinelListing = () => readdirSync(sentinel).map((name) => `${name}=${readFileSync(join(sentinel, name), 'utf8')}`);

  beforeEach(() => {
    snapshot = mkdtempSync(join(tmpdir(), 'nx-phases-sandbox-spec-'));
    sentinel = mkdtempSync(join(tmpdir(), 'nx-phases-sentinel-'));
    writeFileSync(join(sentinel, 'keep.txt'), 'original');
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(snapshot, { recursive: true, force: true });
    rmSync(sentinel, { recursive: true, force: true });
  });

  it('lets the command write its snapshot, a private HOME and a private TMPDIR', async () => {
    await run('echo made > out.txt && echo h > "$HOME/h" && echo t > "$TMPDIR/t" && printf "%s\\n%s\\n" "$HOME" "$TMPDIR" > dirs.txt');
    expect(readFileSync(join(snapshot, 'out.txt'), 'utf8')).toBe('made\n');
    const [home, temp] = readFileSync(join(snapshot, 'dirs.txt'), 'utf8').trimEnd().split('\n');
    expect(home).not.toBe(homedir());
    expect(home).toMatch(/nx-phases-shop\.4\.[0-9a-f]{8}\.\d+-\w+\/sandbox-home$/);
    expect(temp).toMatch(/nx-phases-shop\.4\.[0-9a-f]{8}\.\d+-\w+\/sandbox-tmp$/);
  });

  it.each([
    ['by absolute path', (s: string) => `echo planted > ${JSON.stringify(join(s, 'planted.txt'))}`],
    ['into an existing file outside', (s: string) => `echo changed > ${JSON.stringify(join(s, 'keep.txt'))}`],
    ['through ../ from the snapshot', () => 'echo planted > ../planted-by-sandbox.txt'],
  ])('fails a command that writes outside its snapshot %s, and nothing outside changes', async (_, write) => {
    await expect(run(`${write(sentinel)} && echo done > out.txt`)).rejects.toThrow(/exited with code [1-9][\s\S]*Read-only file system/);
    expect(sentinelListing()).toEqual(['keep.txt=original']);
    expect(readdirSync(tmpdir())).not.toContain('planted-by-sandbox.txt');
  });

  describe('network', () => {
    let server: Server;
    let port: number;
    beforeEach(async () => {
      server = createServer((socket) => socket.end('hello'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterEach(async () => {
      await new Promise((resolve) => server.close(resolve));
    });
    const connect = () =>
      `node -e "require('net').connect(${port}, '127.0.0.1').on('data', (d) => require('fs').writeFileSync('out.txt', String(d))).on('error', (e) => { console.error(e.code); process.exit(7); })"`;

    it('keeps the network with "sandbox": true', async () => {
      await run(connect(), true);
      expect(readFileSync(join(snapshot, 'out.txt'), 'utf8')).toBe('hello');
    });

    it('takes the network away with { "network": false }', async () => {
      await expect(run(connect(), { network: false })).rejects.toThrow(/exited with code 7[\s\S]*ECONNREFUSED/);
    });
  });

  it('fails clearly, without running the command, when bwrap cannot be found', async () => {
    const path = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'nx-phases-empty-path-'));
    try {
      await expect(run(`echo ran > ${JSON.stringify(join(sentinel, 'ran.txt'))}`)).rejects.toThrow(
        'Phase 4 "Tools": "sandbox" is set (phases[3].generator.options.sandbox in apps/shop/phases.json), but bubblewrap cannot run here: ' +
          'bwrap is not installed (not found on PATH). Install it',
      );
    } finally {
      rmSync(process.env.PATH, { recursive: true, force: true });
      process.env.PATH = path;
    }
    expect(sentinelListing()).toEqual(['keep.txt=original']);
  });

  it('rejects an option value it does not understand, naming its JSON path', async () => {
    await expect(run('true', 'yes' as unknown as boolean)).rejects.toThrow(
      'Phase 4 "Tools": nx-phases:command option "sandbox" must be true, false or { "network": false } (got "yes") at phases[3].generator.options.sandbox in apps/shop/phases.json.',
    );
  });
});
