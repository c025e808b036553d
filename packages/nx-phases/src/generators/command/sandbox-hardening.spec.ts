import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSandboxHarness } from '../../test-utils/sandbox-harness';
import { prepareSandbox } from './sandbox';

jest.setTimeout(90_000);

/** Issue 18 item 4: the hardening flags, tested by what the sandboxed process can observe. */
describe('nx-phases:command with "sandbox": hardening', () => {
  const h = useSandboxHarness();

  it('runs with no capabilities, no new privileges and a seccomp filter', async () => {
    await h.run("grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status > out.txt");
    expect(h.read('out.txt').replace(/\t/g, ' ')).toBe(
      [
        'CapInh: 0000000000000000',
        'CapPrm: 0000000000000000',
        'CapEff: 0000000000000000',
        'CapBnd: 0000000000000000',
        'CapAmb: 0000000000000000',
        'NoNewPrivs: 1',
        'Seccomp: 2',
        '',
      ].join('\n'),
    );
  });

  it('sees only its own processes in its own pid namespace', async () => {
    await h.run('for p in /proc/[0-9]*; do echo "${p#/proc/} $(tr "\\0" " " < $p/cmdline)"; done > out.txt');
    const processes = h.read('out.txt').trimEnd().split('\n');
    // bwrap's init (pid 1), the shell, and the subshell of the $(…) that lists itself.
    expect(processes.length).toBeLessThanOrEqual(4);
    for (const line of processes) {
      expect(Number(line.split(' ')[0])).toBeLessThan(10);
      expect(line).toMatch(/^\d+ (bwrap |\/bin\/sh -c |tr |$)/);
    }
    // This jest worker (a node process) is not among them.
    expect(processes.map((line) => Number(line.split(' ')[0]))).not.toContain(process.pid);
  });

  describe('when the process that started it dies', () => {
    let parent: ReturnType<typeof spawn> | undefined;
    let folder: string;
    beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'nx-phases-die-'))));
    afterEach(() => {
      // The parent started bwrap in its own process group: stop whatever is left of it (nothing, when the test passes).
      if (parent?.pid) {
        try {
          process.kill(-parent.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(folder, { recursive: true, force: true });
    });

    it('is killed with it (--die-with-parent): its output pipe closes', async () => {
      const privateFolder = join(folder, 'private');
      mkdirSync(privateFolder);
      const contextFile = join(privateFolder, 'context.json');
      writeFileSync(contextFile, '{}');
      const sandbox = prepareSandbox({ network: false }, { workDir: h.snapshot, workspaceRoot: h.workspace, contextFile, privateFolder }, { label: 'spec' });
      const argv = [...sandbox.argv, '/bin/sh', '-c', 'echo ready; exec sleep 600'];
      // A stand-in for the phase process: it starts the sandbox with stdout shared with us, then is SIGKILLed.
      const script = `const fs = require("fs"); const [argv, fds] = JSON.parse(process.argv[1]);
        require("child_process").spawn(argv[0], argv.slice(1), { stdio: ["ignore", "inherit", "inherit", ...fds.map((f) => fs.openSync(f, "r"))] });`;
      parent = spawn(process.execPath, ['-e', script, JSON.stringify([argv, sandbox.fds])], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      const stdout = parent.stdout!;
      let output = '';
      const closed = once(stdout, 'close');
      await new Promise<void>((resolve) => stdout.on('data', (chunk) => (output += chunk) === 'ready\n' && resolve()));
      process.kill(parent.pid!, 'SIGKILL');
      // Only the sandboxed `sleep` still holds the pipe after the parent died: it closes when the sandbox is gone.
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => (timer = setTimeout(resolve, 30_000, 'still running after 30 s')))]);
      clearTimeout(timer);
      expect(outcome).toBe('closed');
    });
  });
});
