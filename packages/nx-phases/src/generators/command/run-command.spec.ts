import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { processStat } from './process-group';
import { CommandFailedError, STDERR_TAIL_BYTES, TailBuffer, runCommand, type RunCommandOptions } from './run-command';

jest.setTimeout(30_000);

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'nx-phases-run-command-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs `command` in the temp folder, collecting stdout and stderr. */
function run(command: string, overrides: Partial<RunCommandOptions> = {}) {
  const output = { stdout: '', stderr: '' };
  const stdout = new PassThrough().on('data', (chunk) => (output.stdout += chunk));
  const stderr = new PassThrough().on('data', (chunk) => (output.stderr += chunk));
  const done = runCommand({ command, cwd, env: process.env, input: '', timeoutMs: 10_000, label: 'Phase 4 "Checkout"', stdout, stderr, ...overrides });
  return { done, output };
}

/** True while the pid runs (zombies count as gone). */
function isRunning(pid: number): boolean {
  const stat = processStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Pids still running (not zombies) in the process group `pgid`, from /proc. */
function runningMembersOf(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => processStat(pid)?.pgrp === pgid && isRunning(pid));
}

function pidFrom(file: string): number {
  return Number(readFileSync(join(cwd, file), 'utf-8').trim());
}

describe('runCommand', () => {
  it('streams stdout and stderr and resolves on exit 0', async () => {
    const { done, output } = run('echo out; echo err >&2');
    await done;
    expect(output).toEqual({ stdout: 'out\n', stderr: 'err\n' });
  });

  it('passes the input on stdin', async () => {
    const { done, output } = run('cat', { input: '{"phase":4}' });
    await done;
    expect(output.stdout).toBe('{"phase":4}');
  });

  it('ignores a program that does not read a large stdin (EPIPE)', async () => {
    const { done } = run('exit 0', { input: 'x'.repeat(1024 * 1024) });
    await expect(done).resolves.toBeUndefined();
  });

  it('fails on a non-zero exit with the phase, the code and the tail of stderr', async () => {
    const { done } = run('echo "could not write src/App.tsx" >&2; exit 3');
    await expect(done).rejects.toThrow(
      'Phase 4 "Checkout": the command exited with code 3. Run the command by hand to debug it: it gets the phase as JSON on stdin and in $NX_PHASES_CONTEXT_FILE.\nLast stderr:\ncould not write src/App.tsx',
    );
  });

  it('quotes only the last 4 KB of stderr', async () => {
    const { done } = run(`head -c 20000 /dev/zero | tr '\\0' 'a' >&2; echo END >&2; exit 1`);
    const error: CommandFailedError = await done.catch((e) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(error.stderrTail).toMatch(/^…a+END\n$/);
    expect(Buffer.byteLength(error.stderrTail)).toBe(STDERR_TAIL_BYTES + Buffer.byteLength('…'));
  });

  it('fails when the command dies of a signal', async () => {
    await expect(run('kill -KILL $$').done).rejects.toThrow('Phase 4 "Checkout": the command was killed by SIGKILL.');
  });

  it('on timeout kills the whole process group, grandchildren included', async () => {
    // The grandchild would sleep far longer than the test may run, so a group that is gone was stopped, not finished.
    const { done } = run('echo $$ > group.pid; sleep 3600 & echo $! > grandchild.pid; wait', { timeoutMs: 300 });
    await expect(done).rejects.toThrow(
      'Phase 4 "Checkout": the command timed out after 300 ms; its process group was stopped. Raise "timeoutMs" (now 300)',
    );
    expect(isRunning(pidFrom('grandchild.pid'))).toBe(false);
    expect(runningMembersOf(pidFrom('group.pid'))).toEqual([]);
  });

  it('escalates to SIGKILL for processes that ignore SIGTERM', async () => {
    const { done } = run(`sh -c 'trap "" TERM; echo $$ > stubborn.pid; sleep 30; :' & wait`, { timeoutMs: 300, killGraceMs: 300 });
    await expect(done).rejects.toThrow('timed out after 300 ms');
    expect(isRunning(pidFrom('stubborn.pid'))).toBe(false);
  });

  it('stops the process group when the signal aborts', async () => {
    const controller = new AbortController();
    const { done } = run('sleep 30 & echo $! > grandchild.pid; wait', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(done).rejects.toThrow('Phase 4 "Checkout": the command was cancelled; its process group was stopped.');
    expect(isRunning(pidFrom('grandchild.pid'))).toBe(false);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(run('touch started', { signal: controller.signal }).done).rejects.toThrow('cancelled before the command started');
  });

  it('leaves no background process behind after a successful exit', async () => {
    await run('sleep 30 & echo $! > leftover.pid; exit 0').done;
    expect(isRunning(pidFrom('leftover.pid'))).toBe(false);
  });

  it('explains a missing working folder', async () => {
    await expect(run('true', { cwd: join(cwd, 'missing') }).done).rejects.toThrow(
      'Phase 4 "Checkout": could not start /bin/sh (spawn /bin/sh ENOENT). Check that the snapshot folder exists and /bin/sh is installed.',
    );
  });
});

describe('TailBuffer', () => {
  it('keeps the last bytes', () => {
    const tail = new TailBuffer(4);
    tail.push(Buffer.from('abc'));
    expect(tail.text()).toBe('abc');
    tail.push(Buffer.from('defg'));
    expect(tail.text()).toBe('…defg');
  });
});
