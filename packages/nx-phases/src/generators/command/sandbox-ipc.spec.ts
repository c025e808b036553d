import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeCommand, useSandboxHarness } from '../../test-utils/sandbox-harness';

jest.setTimeout(60_000);

/**
 * Issue 17 item 1: a sandboxed command reaches no host unix socket. Each route is first shown open without the
 * sandbox (the same probe, `sandbox: false`), so a closed route is the sandbox's doing, not a broken probe.
 */
describe('nx-phases:command with "sandbox": no host IPC', () => {
  const h = useSandboxHarness();
  const servers: Server[] = [];
  let socketFolder: string;

  beforeEach(() => (socketFolder = mkdtempSync(join(tmpdir(), 'nx-phases-sock-'))));
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(socketFolder, { recursive: true, force: true });
  });
  const listen = async (path: string) => {
    const server = createServer((socket) => socket.on('error', () => undefined).end('secret'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
  };
  /** Writes into out.txt whether `path` is visible, then what connecting to it read (or the error code); always exits 0. */
  const probe = (path: string) =>
    nodeCommand(
      `const fs = require("fs"); const path = ${JSON.stringify(path)}; const seen = path.startsWith("\\0") || fs.existsSync(path) ? "visible" : "absent";` +
        'require("net").connect(path).on("data", (d) => fs.writeFileSync("out.txt", seen + " read " + d)).on("error", (e) => fs.writeFileSync("out.txt", seen + " " + e.code))',
    );

  it.each([
    ['in the temp folder (like the Nx daemon\'s d.sock)', () => join(socketFolder, 'd.sock')],
    ['in the workspace\'s .nx folder (like a plugin worker\'s)', () => join(h.workspace, '.nx', 'plugin.sock')],
  ])('a listening socket %s: open without the sandbox; in it, not mounted and no unix socket allowed', async (_, pathOf) => {
    await listen(pathOf());
    await h.run(probe(pathOf()), false);
    expect(h.read('out.txt')).toBe('visible read secret');
    for (const sandbox of [true, { network: false }]) {
      await h.run(probe(pathOf()), sandbox);
      expect(h.read('out.txt')).toBe('absent EPERM');
    }
  });

  it('an abstract socket: open without the sandbox, refused by the seccomp filter even with the network shared', async () => {
    const name = `\0nx-phases-spec-${process.pid}-${Date.now()}`;
    await listen(name);
    await h.run(probe(name), false);
    expect(h.read('out.txt')).toBe('visible read secret');
    await h.run(probe(name), true);
    expect(h.read('out.txt')).toBe('visible EPERM');
    await h.run(probe(name), { network: false });
    expect(h.read('out.txt')).toBe('visible EPERM');
  });

  it('refuses every unix socket the command opens itself, but keeps child processes with piped stdio working', async () => {
    const script =
      'const fs = require("fs"); const out = [require("child_process").execFileSync("/bin/echo", ["child ok"]).toString().trim()];' +
      'require("net").createServer().on("error", (e) => { out.push(e.code); fs.writeFileSync("out.txt", out.join(" ")); }).listen("own.sock");';
    await h.run(nodeCommand(script), true);
    expect(h.read('out.txt')).toBe('child ok EPERM');
  });
});
