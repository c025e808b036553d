import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { nodeCommand, useSandboxHarness } from '../../test-utils/sandbox-harness';
import { optionPlace, sandboxSettings } from './sandbox-options';

jest.setTimeout(60_000);

/** The `sandbox` option: bubblewrap on an empty root, the snapshot writable, toolchains read-only, private HOME, TMPDIR and /tmp. */
describe('nx-phases:command with "sandbox": file system', () => {
  const h = useSandboxHarness();

  it('lets the command write its snapshot, a private HOME and a private TMPDIR, and read its context file', async () => {
    await h.run(
      'echo made > out.txt && echo h > "$HOME/h" && echo t > "$TMPDIR/t" && printf "%s\\n%s\\n" "$HOME" "$TMPDIR" > dirs.txt && ' +
        'cp "$NX_PHASES_CONTEXT_FILE" context.json && { echo x >> "$NX_PHASES_CONTEXT_FILE" 2>/dev/null || echo read-only > context-write.txt; }',
    );
    expect(h.read('out.txt')).toBe('made\n');
    expect(JSON.parse(h.read('context.json')).phase.number).toBe(4);
    expect(h.read('context-write.txt')).toBe('read-only\n');
    const [home, temp] = h.read('dirs.txt').trimEnd().split('\n');
    expect(home).not.toBe(homedir());
    expect(home).toMatch(/nx-phases-shop\.4\.[0-9a-f]{8}\.\d+-\w+\/sandbox-home$/);
    expect(temp).toMatch(/nx-phases-shop\.4\.[0-9a-f]{8}\.\d+-\w+\/sandbox-tmp$/);
  });

  it.each([
    ['by absolute path', (s: string) => `echo planted > ${JSON.stringify(join(s, 'planted.txt'))}`, /Directory nonexistent/],
    ['into an existing file outside', (s: string) => `echo changed > ${JSON.stringify(join(s, 'keep.txt'))}`, /Directory nonexistent/],
    ['into a toolchain folder', () => 'echo planted > /usr/planted-by-sandbox.txt', /Read-only file system/],
  ])('fails a command that writes outside its snapshot %s, and nothing outside changes', async (_, write, reason) => {
    await expect(h.run(`${write(h.sentinel)} && echo done > out.txt`)).rejects.toThrow(new RegExp(`exited with code [1-9][\\s\\S]*${reason.source}`));
    expect(h.sentinelListing()).toEqual(['keep.txt=original']);
    expect(existsSync('/usr/planted-by-sandbox.txt')).toBe(false);
  });

  it('sees the host temp folder as an empty private /tmp: a write through ../ lands there and is gone afterwards', async () => {
    await h.run('echo planted > ../planted-by-sandbox.txt && ls -A /tmp > tmp.txt && ls -A /run /var/run /dev/shm /var/tmp > run.txt');
    expect(readdirSync(tmpdir())).not.toContain('planted-by-sandbox.txt');
    // The host /tmp holds many folders; the sandbox's holds only what is bound into it: the snapshot, the phase's
    // private folder and the workspace's node_modules (this spec's workspace lives in the temp folder too).
    const listed = h.read('tmp.txt').trimEnd().split('\n');
    expect(listed).toHaveLength(4);
    expect(listed).toEqual(expect.arrayContaining([basename(h.snapshot), basename(h.workspace), 'planted-by-sandbox.txt']));
    expect(listed.filter((name) => /^nx-phases-shop\.4\.[0-9a-f]{8}\.\d+-\w+$/.test(name))).toHaveLength(1);
    expect(h.read('run.txt')).toBe('/dev/shm:\n\n/run:\n\n/var/run:\n\n/var/tmp:\n');
  });

  it('shows no HOME, no /etc/shadow and none of the workspace but its node_modules, read-only', async () => {
    const script =
      `const fs = require("fs"); const ws = ${JSON.stringify(h.workspace)}; const seen = (p) => fs.existsSync(p);` +
      'fs.writeFileSync("out.txt", JSON.stringify({ dep: require(ws + "/node_modules/dep"), home: seen(' +
      JSON.stringify(homedir()) +
      '), shadow: seen("/etc/shadow"), passwd: seen("/etc/passwd"), nx: seen(ws + "/.nx"), ws: fs.readdirSync(ws) }));' +
      'try { fs.writeFileSync(ws + "/node_modules/dep/index.js", "x"); } catch (e) { fs.appendFileSync("out.txt", " " + e.code); }';
    await h.run(nodeCommand(script));
    expect(h.read('out.txt')).toBe('{"dep":"dep","home":false,"shadow":false,"passwd":true,"nx":false,"ws":["node_modules"]} EROFS');
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
      nodeCommand(
        `require("net").connect(${port}, "127.0.0.1").on("data", (d) => require("fs").writeFileSync("out.txt", String(d))).on("error", (e) => { console.error(e.code); process.exit(7); })`,
      );

    it('keeps the network with "sandbox": true', async () => {
      await h.run(connect(), true);
      expect(h.read('out.txt')).toBe('hello');
    });

    it('takes the network away with { "network": false }', async () => {
      await expect(h.run(connect(), { network: false })).rejects.toThrow(/exited with code 7[\s\S]*ECONNREFUSED/);
    });
  });

  it('fails clearly, without running the command, when bwrap cannot be found', async () => {
    const path = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'nx-phases-empty-path-'));
    try {
      await expect(h.run(`echo ran > ${JSON.stringify(join(h.sentinel, 'ran.txt'))}`)).rejects.toThrow(
        'Phase 4 "Tools": "sandbox" is set (phases[3].generator.options.sandbox in apps/shop/phases.json), but bubblewrap cannot run here: ' +
          'bwrap is not installed (not found on PATH). Install it',
      );
    } finally {
      rmSync(process.env.PATH, { recursive: true, force: true });
      process.env.PATH = path;
    }
    expect(h.sentinelListing()).toEqual(['keep.txt=original']);
  });

  it.each([
    ['its last line of error output', 'echo "bwrap: starting" >&2; echo "bwrap: setting up uid map: Permission denied" >&2; exit 1', '"bwrap: setting up uid map: Permission denied"'],
    ['its exit code when it printed nothing', 'exit 3', '"exit 3"'],
  ])('fails clearly, without running the command, when bwrap refuses to create a sandbox, quoting %s', async (_, script, quoted) => {
    const path = process.env.PATH;
    const fakeBin = mkdtempSync(join(tmpdir(), 'nx-phases-fake-bwrap-'));
    writeFileSync(join(fakeBin, 'bwrap'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    process.env.PATH = `${fakeBin}:${path}`;
    try {
      await expect(h.run(`echo ran > ${JSON.stringify(join(h.sentinel, 'ran.txt'))}`)).rejects.toThrow(
        `but bubblewrap cannot run here: bwrap failed (${quoted}). Install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) ` +
          'and allow unprivileged user namespaces, or remove "sandbox". The command was not run.',
      );
    } finally {
      rmSync(fakeBin, { recursive: true, force: true });
      process.env.PATH = path;
    }
    expect(h.sentinelListing()).toEqual(['keep.txt=original']);
  });
});

/** Malformed `sandbox` values: each names the plan file and the JSON path, and the command does not run. */
describe('nx-phases:command "sandbox" option validation', () => {
  const h = useSandboxHarness();
  const at = 'phases[3].generator.options.sandbox';

  it.each([
    ['a string', 'yes', `nx-phases:command option "sandbox" must be true, false or { "network": false } (got "yes") at ${at} in apps/shop/phases.json.`],
    ['null', null, `nx-phases:command option "sandbox" must be true, false or { "network": false } (got null) at ${at} in apps/shop/phases.json.`],
    ['an array', [false], `nx-phases:command option "sandbox" must be true, false or { "network": false } (got [false]) at ${at} in apps/shop/phases.json.`],
    [
      'a misspelt key',
      { netwrok: false },
      `unknown key "netwrok" in the "sandbox" option at ${at}.netwrok in apps/shop/phases.json. Did you mean "network"? Allowed keys: network.`,
    ],
    ['an unknown key', { mounts: ['/'] }, `unknown key "mounts" in the "sandbox" option at ${at}.mounts in apps/shop/phases.json. Remove it. Allowed keys: network.`],
    [
      'a string for network',
      { network: 'false' },
      `"sandbox.network" must be true or false (got "false") at ${at}.network in apps/shop/phases.json; for example "sandbox": { "network": false }.`,
    ],
    ['null for network', { network: null }, `"sandbox.network" must be true or false (got null) at ${at}.network in apps/shop/phases.json;`],
  ])('rejects %s, naming its JSON path', async (_, value, message) => {
    await expect(h.run('echo ran > out.txt', value as never)).rejects.toThrow(`Phase 4 "Tools": ${message}`);
    expect(existsSync(join(h.snapshot, 'out.txt'))).toBe(false);
  });
});

/** The option's accepted forms, and where a message points when the executor did not pass the option's place. */
describe('sandboxSettings and optionPlace', () => {
  const where = { label: 'Phase 4 "Tools"', jsonPath: 'phases[3].generator.options.sandbox', planFile: 'apps/shop/phases.json' };

  it('reads absent and false as no sandbox, true and {} as a sandbox with network, { network: false } without', () => {
    expect(sandboxSettings(undefined, where)).toBeUndefined();
    expect(sandboxSettings(false, where)).toBeUndefined();
    expect(sandboxSettings(true, where)).toEqual({ network: true });
    expect(sandboxSettings({}, where)).toEqual({ network: true });
    expect(sandboxSettings({ network: true }, where)).toEqual({ network: true });
    expect(sandboxSettings({ network: false }, where)).toEqual({ network: false });
  });

  it('points at the JSON path in the plan file when both are known, else at the generator options in phases.json', () => {
    expect(optionPlace(where, '.network')).toBe('phases[3].generator.options.sandbox.network in apps/shop/phases.json');
    expect(optionPlace({ label: 'x' })).toBe('the generator options in phases.json (sandbox)');
    expect(optionPlace({ label: 'x', jsonPath: 'phases[0]' }, '.network')).toBe('the generator options in phases.json (sandbox.network)');
    expect(optionPlace({ label: 'x', planFile: 'apps/shop/phases.json' })).toBe('the generator options in phases.json (sandbox)');
    expect(() => sandboxSettings(0, { label: 'Phase 1 "A"' })).toThrow(
      'Phase 1 "A": nx-phases:command option "sandbox" must be true, false or { "network": false } (got 0) at the generator options in phases.json (sandbox).',
    );
  });

  it('names an inherited key as unknown too', () => {
    expect(() => sandboxSettings({ toString: false }, where)).toThrow('unknown key "toString" in the "sandbox" option');
  });
});
