import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockTimeoutError, withFileLock } from './lock-file';

describe('withFileLock', () => {
  let dir: string;
  let lockPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nx-phases-lock-'));
    lockPath = join(dir, 'state.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the critical section and removes the lock', async () => {
    expect(await withFileLock(lockPath, () => existsSync(lockPath))).toBe(true);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('serialises concurrent critical sections', async () => {
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        withFileLock(lockPath, () => {
          order.push(`${name}:in`);
          order.push(`${name}:out`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i].split(':')[0]).toBe(order[i + 1].split(':')[0]);
  });

  it('takes over a lock whose holder is provably dead', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid as number;
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }));
    expect(await withFileLock(lockPath, () => 'taken')).toBe('taken');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock older than staleMs even if its holder looks alive', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'old' }));
    const past = new Date(Date.now() - 60_000);
    utimesSync(lockPath, past, past);
    expect(await withFileLock(lockPath, () => 'taken', { staleMs: 5_000 })).toBe('taken');
  });

  it('times out on a fresh lock held by a live process, naming the file and the fix', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'live' }));
    const attempt = withFileLock(lockPath, () => 'never', { timeoutMs: 200 });
    await expect(attempt).rejects.toThrow(LockTimeoutError);
    await expect(attempt).rejects.toThrow(`held by pid ${process.pid}`);
    await expect(attempt).rejects.toThrow('delete that file');
  });
});
