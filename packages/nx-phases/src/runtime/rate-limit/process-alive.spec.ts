import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { currentHolder, isHolderDead, isProcessDead } from './process-alive';

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
});
