import { createServer, type Server } from 'node:net';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { E2eWorkspace } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { writePlan, type PhaseDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { guardSentinel } from './utils/sentinel';
import { withOutput } from './utils/with-output';

/** Where a probe connects: a unix socket path (an abstract one starts with NUL) or a TCP port on 127.0.0.1. */
type Target = string | number;

/**
 * A command that tries to reach `target` and writes into `out` whether the socket's path is visible (unix paths
 * only) and what connecting gave: `connected` or the error code. Sandboxed, it also tries to write into the
 * `sentinel` folder outside the workspace. It always exits 0, so the phase commits what it found.
 */
function probe(target: Target, out: string, sentinel?: string): string {
  const script = [
    'const fs = require("fs"); const net = require("net");',
    `const target = ${JSON.stringify(target)}; const seen = [];`,
    sentinel ? `try { fs.writeFileSync(${JSON.stringify(join(sentinel, 'planted-by-probe.txt'))}, "planted"); } catch {}` : '',
    'if (typeof target === "string" && !target.startsWith("\\0")) seen.push(fs.existsSync(target) ? "visible" : "absent");',
    'const socket = typeof target === "number" ? net.connect(target, "127.0.0.1") : net.connect(target);',
    `const report = (what) => { fs.writeFileSync(${JSON.stringify(out)}, [...seen, what].join(" ")); socket.destroy(); };`,
    'socket.on("connect", () => report("connected")).on("error", (e) => report(e.code));',
  ].join(' ');
  return `node -e '${script}'`;
}

/** The Nx daemon's socket, read from the daemon's process file (Nx 23 keeps its path there). */
function daemonSocket(ws: E2eWorkspace): string {
  const file = ws.path('.nx', 'workspace-data', 'd', 'server-process.json');
  const text = readFileSync(file, 'utf8');
  const found = /"([^"]*d\.sock)"/.exec(text)?.[1];
  if (!found || !existsSync(found)) throw new Error(`No existing d.sock path in ${file}:\n${text}`);
  return found;
}

/**
 * Issue 17 item 1: the sandbox escape through host unix sockets. Each route is tried by an unsandboxed phase
 * first (the positive control: the route is open and the probe works) and then by sandboxed phases, which must
 * find it closed: the Nx daemon's socket (NX_DAEMON=true), a socket in the temp folder, one in the workspace's
 * `.nx`, an abstract socket, and the network with `network: false`.
 */
describe('hostile sandboxed command: every route to host IPC is closed', () => {
  const sentinelOf = guardSentinel('hostile-ipc');
  const daemon = { NX_DAEMON: 'true' };
  const servers: Server[] = [];
  let ws: E2eWorkspace | undefined;
  const tmpSocket = join(tmpdir(), `nx-phases-e2e-${process.pid}.sock`);

  afterAll(async () => {
    ws?.nx(['daemon', '--stop'], { env: daemon, allowFailure: true });
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(tmpSocket, { force: true });
  });
  const listen = async (at: string | 0): Promise<Server> => {
    const server = createServer((socket) => socket.on('error', () => undefined).end());
    servers.push(server);
    await new Promise<void>((resolve) => (at === 0 ? server.listen(0, '127.0.0.1', resolve) : server.listen(at, resolve)));
    return server;
  };

  it('the daemon socket, a socket in /tmp, one in .nx, an abstract socket and the network: open without the sandbox, closed in it', async () => {
    ws = createScenario('hostile-ipc').workspace;
    ws.nx(['daemon', '--start'], { env: daemon });
    const routes: Array<{ name: string; target: Target; closed: string; sandboxes: Array<true | { network: false }> }> = [
      { name: 'daemon', target: daemonSocket(ws), closed: 'absent EPERM', sandboxes: [{ network: false }, true] },
      { name: 'tmp', target: tmpSocket, closed: 'absent EPERM', sandboxes: [{ network: false }, true] },
      { name: 'dotnx', target: ws.path('.nx', 'probe.sock'), closed: 'absent EPERM', sandboxes: [{ network: false }, true] },
      { name: 'abstract', target: `\0nx-phases-e2e-${process.pid}`, closed: 'EPERM', sandboxes: [{ network: false }, true] },
      { name: 'network', target: 0, closed: 'ECONNREFUSED', sandboxes: [{ network: false }] },
    ];
    for (const route of routes) {
      if (route.name === 'daemon') continue;
      const server = await listen(route.target as string | 0);
      if (route.target === 0) route.target = (server.address() as AddressInfo).port;
    }

    const phases: PhaseDocument[] = [];
    const expected: Record<string, string> = {};
    for (const route of routes) {
      for (const sandbox of [false, ...route.sandboxes]) {
        const number = phases.length + 1;
        const file = `out-${number}.txt`;
        const label = `${route.name} ${sandbox === false ? 'unsandboxed' : `sandbox ${JSON.stringify(sandbox)}`}`;
        expected[label] = sandbox === false ? (typeof route.target === 'string' && !route.target.startsWith('\0') ? 'visible connected' : 'connected') : route.closed;
        phases.push({
          number,
          name: `Probe ${number}`,
          description: label,
          plannedFiles: [file],
          generator: { use: 'nx-phases:command', options: { command: probe(route.target, file, sandbox === false ? undefined : sentinelOf().root), sandbox } },
        });
      }
    }
    writePlan(ws.root, 'apps/probe', { name: 'probe', phases });
    ws.commitAll('probe plan');

    const run = await runPhasesAsync(ws, ['--parallel=2'], { env: daemon });
    const found = Object.fromEntries(phases.map((phase) => [phase.description, readFileSync(ws!.path('apps/probe', phase.plannedFiles![0]), 'utf8')]));
    withOutput(run, () => {
      expect(run.ran).toHaveLength(phases.length);
      expect(found).toEqual(expected);
    });
    // The daemon really served this run, on the socket the probes aimed at.
    expect(daemonSocket(ws)).toBe(routes[0].target);
  });
});
