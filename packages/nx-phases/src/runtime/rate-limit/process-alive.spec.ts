import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { childOutput, tsChildEnv, tsScriptArgs, type ChildOutput } from '../../test-utils/ts-child';
import { currentHolder, isHolderDead, isProcessDead } from './process-alive';

const PROBE = join(__dirname, 'test-utils', 'alive-probe.ts');
const NOBODY = 65_534;

// Real child processes on a possibly busy machine: no timing assertions.
jest.setTimeout(120_000);

/**
 * What `test-utils/alive-probe.ts` reports about `pid` when run as the user `nobody`: a live process of another user
 * answers `kill(pid, 0)` with EPERM. Needs root (to start a process as another user), which is how these specs run.
 */
function probeAsNobody(pid: number): Promise<ChildOutput> {
  const child = spawn(process.execPath, tsScriptArgs(PROBE, [String(pid)]), {
    env: tsChildEnv(),
    uid: NOBODY,
    gid: NOBODY,
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return childOutput(child);
}

/** A real process that has exited (and been reaped), so its pid names no process. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

describe('isHolderDead', () => {
  it('names this process as the current holder', () => {
    expect(currentHolder()).toEqual({ pid: process.pid, host: hostname() });
  });

  it('is true only for a process of this host that no longer exists', async () => {
    const pid = await exitedPid();
    expect(isHolderDead({ pid, host: hostname() })).toBe(true);
    expect(isProcessDead(pid)).toBe(true);
    expect(isHolderDead({ pid, host: `${hostname()}-elsewhere` })).toBe(false);
    expect(isHolderDead(currentHolder())).toBe(false);
    expect(isProcessDead(process.pid)).toBe(false);
  });

  it('never declares a holder with an impossible pid dead', () => {
    for (const pid of [0, -99_999, 1.5, Number.NaN]) expect([pid, isHolderDead({ pid, host: hostname() })]).toEqual([pid, false]);
  });

  it('never declares a live process it may not signal (EPERM, another user\'s) dead', async () => {
    if (process.getuid?.() !== 0) {
      // Not root: a process of another user is what init is on a usual machine.
      let signal = 'ok';
      try {
        process.kill(1, 0);
      } catch (error) {
        signal = String((error as NodeJS.ErrnoException).code);
      }
      expect(signal === 'EPERM' ? isProcessDead(1) : 'pid 1 is not another user\'s here').toBe(false);
      return;
    }
    expect(await probeAsNobody(process.pid)).toEqual({ code: 0, stdout: `${JSON.stringify({ signal: 'EPERM', dead: false })}\n`, stderr: '' });
  });
});
