import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { acquireLock, LockTimeoutError, readLockHolder, releaseLock, renewLock, tryAcquireLock, withFileLock, type StaleReason } from './lock-file';

const CONTENDER = join(__dirname, 'test-utils', 'lock-contender.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real processes on a possibly busy machine: generous limits, only lower-bound timing assertions.
jest.setTimeout(120_000);

describe('withFileLock', () => {
  let dir: string;
  let lockPath: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nx-phases-lock-'));
    lockPath = join(dir, 'state.lock');
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the critical section and removes the lock', async () => {
    expect(await withFileLock(lockPath, () => existsSync(lockPath))).toBe(true);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('lets one process at a time into the critical section: real processes contending, no overlap, no lost update', async () => {
    const processes = 3;
    const iterations = 40;
    const work = join(dir, 'work');
    mkdirSync(work);
    const goFile = join(dir, 'go');
    const exits = Array.from({ length: processes }, () => startContender(work, iterations, goFile));
    await Promise.all(exits.map((c) => c.ready));
    writeFileSync(goFile, ''); // every contender is waiting at the gate: they start together
    await Promise.all(exits.map((c) => c.done));
    expect(existsSync(join(work, 'violations')) ? readFileSync(join(work, 'violations'), 'utf8') : '').toBe('');
    expect(Number(readFileSync(join(work, 'counter'), 'utf8'))).toBe(processes * iterations);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over a lock whose holder is provably dead', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid as number;
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }));
    expect(await withFileLock(lockPath, () => 'taken')).toBe('taken');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a dead holder\'s lock at the first look, calling it dead, even when its lease would never expire', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid as number;
    const dead = JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' });
    writeFileSync(lockPath, dead);
    // One look, no waiting: only the dead-pid check can free it (tryAcquireLock never expires a lease).
    const token = tryAcquireLock(lockPath, { staleMs: Infinity });
    expect(token).toEqual(expect.any(String));
    expect(readLockHolder(lockPath)).toMatchObject({ pid: process.pid, token });
    releaseLock(lockPath, token!);
    writeFileSync(lockPath, dead);
    const reasons: StaleReason[] = [];
    const waiter = acquireLock(lockPath, { staleMs: Infinity, timeoutMs: 60_000, onTakeOver: (holder, reason) => reasons.push(reason) });
    releaseLock(lockPath, await waiter);
    expect(reasons).toEqual(['holder-dead']);
  });

  describe('another process acting between the look at a dead holder\'s lock and its take-over', () => {
    // The gate: this process's liveness probe of the dead pid (`process.kill(pid, 0)`, called through to the real
    // one) is the moment between reading the stale lock and moving it aside, where another process may act.
    const raceAt = (deadPid: number, act: () => void) => {
      const kill = process.kill.bind(process);
      let acted = false;
      jest.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
        if (pid === deadPid && signal === 0 && !acted) {
          acted = true;
          act();
        }
        return kill(pid, signal);
      });
      return () => acted;
    };
    afterEach(() => jest.restoreAllMocks());

    it('puts back, untouched, a live lock another process created meanwhile, and does not call it a take-over', () => {
      const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid as number;
      writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }));
      const other = JSON.stringify({ pid: process.pid, host: hostname(), token: 'other', since: '2026-12-07T18:00:00.000Z', beat: '000000000000' });
      const acted = raceAt(deadPid, () => writeFileSync(lockPath, other));
      const reasons: StaleReason[] = [];
      expect(tryAcquireLock(lockPath, { onTakeOver: (_holder, reason) => reasons.push(reason) })).toBeUndefined();
      expect(acted()).toBe(true);
      expect(readFileSync(lockPath, 'utf8')).toBe(other);
      expect(reasons).toEqual([]);
      expect(readdirSync(dir)).toEqual(['state.lock']); // nothing moved aside is left
    });

    it('takes the lock when another process took over and released it meanwhile, without calling it its own take-over', () => {
      const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid as number;
      writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }));
      const acted = raceAt(deadPid, () => rmSync(lockPath));
      const reasons: StaleReason[] = [];
      const token = tryAcquireLock(lockPath, { onTakeOver: (_holder, reason) => reasons.push(reason) });
      expect(acted()).toBe(true);
      expect(readLockHolder(lockPath)).toMatchObject({ pid: process.pid, token });
      expect(reasons).toEqual([]);
      releaseLock(lockPath, token!);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('takes over a live-looking lock only once it has seen it unchanged for staleMs, whatever its file time says', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'stuck' }));
    const future = new Date(Date.now() + 24 * 3600_000); // a clock ahead, or a touched file
    utimesSync(lockPath, future, future);
    const started = performance.now();
    expect(await withFileLock(lockPath, () => 'taken', { staleMs: 400, timeoutMs: 60_000 })).toBe('taken');
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('does not count time it was not looking (its own process stalled) towards the lease', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'stuck' }));
    let stalledUntil = 0;
    const onWait = () => {
      if (stalledUntil > 0) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_500); // this waiter is frozen for 1.5 s
      stalledUntil = performance.now();
    };
    expect(await withFileLock(lockPath, () => 'taken', { staleMs: 1_000, timeoutMs: 60_000, onWait })).toBe('taken');
    // Without the rule it would take over at its first look after the stall; with it, it looks for another second.
    expect(performance.now() - stalledUntil).toBeGreaterThanOrEqual(900);
  });

  it('never takes over a lock its holder keeps renewing, even with an old file time', async () => {
    const token = await acquireLock(lockPath, {});
    const past = new Date(Date.now() - 24 * 3600_000);
    utimesSync(lockPath, past, past);
    const heartbeat = setInterval(() => expect(renewLock(lockPath, token)).toBe(true), 20);
    try {
      const attempt = withFileLock(lockPath, () => 'taken', { staleMs: 300, timeoutMs: 1_500 });
      await expect(attempt).rejects.toThrow(LockTimeoutError);
      expect(readLockHolder(lockPath)?.token).toBe(token);
      expect(readLockHolder(lockPath)?.beat).toBeGreaterThan(0);
    } finally {
      clearInterval(heartbeat);
      releaseLock(lockPath, token);
    }
    expect(existsSync(lockPath)).toBe(false);
  });

  it('renewLock reports a lock that was taken over as no longer ours, and leaves the new holder alone', async () => {
    const token = await acquireLock(lockPath, {});
    const taker = await acquireLock(lockPath, { staleMs: 400, pollMs: 10 });
    expect(renewLock(lockPath, token)).toBe(false);
    releaseLock(lockPath, token);
    expect(readLockHolder(lockPath)?.token).toBe(taker);
  });

  it('times out on a fresh lock held by a live process, naming the file and the fix', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'live' }));
    const attempt = withFileLock(lockPath, () => 'never', { timeoutMs: 200 });
    await expect(attempt).rejects.toThrow(LockTimeoutError);
    await expect(attempt).rejects.toThrow(`held by pid ${process.pid}`);
    await expect(attempt).rejects.toThrow('delete that file');
  });

  it('times out on a lock without a readable holder with the plain message, and names the error for the user', async () => {
    writeFileSync(lockPath, 'not a lock a process wrote');
    const before = performance.now();
    const error = await withFileLock(lockPath, () => 'never', { timeoutMs: 200, staleMs: 600_000 }).catch((caught: Error) => caught);
    const waited = performance.now() - before;
    expect(error).toBeInstanceOf(LockTimeoutError);
    // How long it waited (what a claim's time-out says, "Gave up after …"): from this wait's start, not the process's.
    expect((error as LockTimeoutError).waitedMs).toBeGreaterThanOrEqual(200);
    expect((error as LockTimeoutError).waitedMs).toBeLessThanOrEqual(waited);
    expect((error as LockTimeoutError).holder).toBeUndefined();
    expect(String(error)).toBe(`LockTimeoutError: Timed out waiting for the rate-limit lock ${lockPath}. If no nx-phases task is running, delete that file and retry.`);
    expect(readFileSync(lockPath, 'utf8')).toBe('not a lock a process wrote');
  });

  it('measures the time-out from the start of this wait, not from the start of the process', async () => {
    const held = await acquireLock(lockPath, {});
    // A bound shorter than twice this process's age: a time-out counted from the process start would already be
    // over at the first look. Counted from the wait's start, the waiter gets the lock released at its first wait.
    const timeoutMs = 1.5 * performance.now();
    let released = false;
    const onWait = () => {
      if (!released) releaseLock(lockPath, held);
      released = true;
    };
    const token = await acquireLock(lockPath, { timeoutMs, onWait });
    expect(released).toBe(true);
    expect(readLockHolder(lockPath)?.token).toBe(token);
    releaseLock(lockPath, token);
  });

  it('tells a waiter how long it has seen the lock unchanged: growing, never longer than its wait, restarted by a renewal', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'live' }));
    const unchanged: number[] = [];
    const waiting: number[] = [];
    const before = performance.now();
    const onWait = (_holder: unknown, unchangedMs: number) => {
      unchanged.push(unchangedMs);
      waiting.push(performance.now() - before);
      if (unchanged.length === 3) expect(renewLock(lockPath, 'live')).toBe(true); // the holder renews once
    };
    await expect(acquireLock(lockPath, { timeoutMs: 400, staleMs: 600_000, pollMs: 20, onWait })).rejects.toThrow(LockTimeoutError);
    expect(unchanged.length).toBeGreaterThan(4);
    expect(unchanged.every((ms, i) => ms >= 0 && ms <= waiting[i])).toBe(true);
    expect(unchanged.every((ms, i) => i === 0 || i === 3 || ms >= unchanged[i - 1])).toBe(true);
    expect(unchanged[3]).toBeLessThan(unchanged[2]); // the renewal was seen: the count started again
  });

  it('renewLock reports a lock it cannot read back as not held, without throwing (a FIFO where the lock was)', () => {
    expect(spawnSync('mkfifo', [lockPath]).status).toBe(0);
    expect(renewLock(lockPath, 'any')).toBe(false); // reading it at offset 0 fails (ESPIPE): the heartbeat must not throw
  });

  it('renewLock reports a lock deleted by hand as no longer held, and does not bring it back', async () => {
    const token = await acquireLock(lockPath, {});
    rmSync(lockPath);
    expect(renewLock(lockPath, token)).toBe(false);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('fails at once with the system error when the lock folder does not exist, instead of waiting for a holder', async () => {
    const attempt = acquireLock(join(dir, 'missing', 'state.lock'), { timeoutMs: 5_000 });
    await expect(attempt).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('looks at a busy lock about every pollMs, not in a busy loop (a claim waits up to half an hour with 100 ms polls)', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'live' }));
    let looks = 0;
    const before = performance.now();
    const attempt = acquireLock(lockPath, { timeoutMs: 600, staleMs: 600_000, pollMs: 100, onWait: () => looks++ });
    await expect(attempt).rejects.toThrow(LockTimeoutError);
    const waited = performance.now() - before;
    // Every pause lasts at least half of pollMs: never more looks than that allows (a busy machine only makes fewer).
    // Slack for timers measured from the event loop's cached time: 45 ms a pause and 3 more looks; a busy loop makes
    // dozens to hundreds.
    expect(looks).toBeGreaterThan(0);
    expect(looks).toBeLessThanOrEqual(Math.floor(waited / 45) + 3);
  });

  it('polls at most an eighth of the lease, so a waiter given a poll longer than the lease still takes over a stale lock', async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'stuck' }));
    // A 10-minute poll would sleep past jest's timeout; an eighth of the 400 ms lease takes over within a second.
    expect(await withFileLock(lockPath, () => 'taken', { staleMs: 400, pollMs: 600_000, timeoutMs: 60_000 })).toBe('taken');
  });

  it('renewLock leaves a fresh file time, for people listing the folder', async () => {
    const token = await acquireLock(lockPath, {});
    const past = new Date(Date.now() - 24 * 3600_000);
    utimesSync(lockPath, past, past);
    expect(renewLock(lockPath, token)).toBe(true);
    expect(statSync(lockPath).mtimeMs).toBeGreaterThan(past.getTime() + 12 * 3600_000);
    releaseLock(lockPath, token);
  });

  it('keeps the lock file the same size through renewals (the counter is padded), and counts them', async () => {
    const token = await acquireLock(lockPath, {});
    const size = readFileSync(lockPath).length;
    for (let i = 0; i < 12; i++) expect(renewLock(lockPath, token)).toBe(true);
    expect(readFileSync(lockPath).length).toBe(size);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).beat).toBe('000000000012');
    expect(readLockHolder(lockPath)?.beat).toBe(12);
    releaseLock(lockPath, token);
  });

  it('reads a lock with a broken counter as renewed 0 times, and a file without a token as no holder', () => {
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'h', token: 't', beat: '-3' }));
    expect(readLockHolder(lockPath)?.beat).toBe(0);
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'h', token: 't', beat: 'many' }));
    expect(readLockHolder(lockPath)?.beat).toBe(0);
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'h', token: 't', beat: 2.5 }));
    expect(readLockHolder(lockPath)?.beat).toBe(0);
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'h', token: 7 }));
    expect(readLockHolder(lockPath)).toBeUndefined();
    writeFileSync(lockPath, 'null');
    expect(readLockHolder(lockPath)).toBeUndefined();
  });

  function startContender(work: string, iterations: number, goFile: string): { ready: Promise<void>; done: Promise<void> } {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CONTENDER, lockPath, work, String(iterations), goFile], {
      env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const ready = new Promise<void>((resolveReady) => child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolveReady()));
    const done = new Promise<void>((resolveDone, reject) =>
      child.on('exit', (code, signal) => (code === 0 ? resolveDone() : reject(new Error(`contender exited ${code ?? signal}: ${stderr}`)))),
    );
    return { ready, done };
  }
});
