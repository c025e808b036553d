import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { readLockHolder } from '../rate-limit/lock-file';
import { sleep, WaitAbortedError } from '../rate-limit/sleep';
import { CLAIM_WAIT_ENV, claimPhase, claimTiming, ClaimLostError, ClaimWaitTimeoutError, phaseLockPath, type ClaimTiming } from './phase-claim';

/** Short leases so that expiry is seen in about a second; the heartbeat stays well inside them even on a loaded machine. */
const FAST: Partial<ClaimTiming> = { heartbeatMs: 50, leaseMs: 1_500, pollMs: 20 };
/** Quick polls with the default minute-long lease: for tests where a holder process starved of CPU must not lose its claim. */
const QUICK_POLL: Partial<ClaimTiming> = { heartbeatMs: 50, pollMs: 20 };

const HOLDER = join(__dirname, 'test-utils', 'claim-holder.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real processes on a possibly busy machine: generous limits, no timing assertions.
jest.setTimeout(60_000);

describe('single flight: claimPhase', () => {
  let ws: TempWorkspace;
  let printed: string[];
  const originalProgress = process.env.NX_PHASES_PROGRESS;
  const children: ChildProcess[] = [];
  const releaseFile = () => join(ws.root, 'release-the-claim');
  const request = (phaseNumber = 3, timing?: Partial<ClaimTiming>, signal?: AbortSignal) => ({
    workspaceRoot: ws.root,
    planFile: 'apps/app/phases.json',
    phaseNumber,
    timing,
    signal,
  });
  const lockPath = () => phaseLockPath(ws.root, 'apps/app/phases.json', 3);

  beforeEach(() => {
    ws = new TempWorkspace();
    printed = [];
    process.env.NX_PHASES_PROGRESS = 'titles'; // a line per title change: the wait is seen while it lasts
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env.NX_PHASES_PROGRESS = originalProgress;
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    ws.dispose();
  });

  /** Starts a holder process and resolves once it holds the claim. */
  function startHolder(timing: Partial<ClaimTiming> = {}): Promise<{ child: ChildProcess; exited: Promise<unknown>; said: () => string }> {
    const args = [HOLDER, ws.root, 'apps/app/phases.json', '3', releaseFile(), JSON.stringify(timing)];
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', ...args], {
      env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = new Promise((done) => child.on('exit', done));
    return new Promise((claimed, failed) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes(`claimed ${child.pid}`)) claimed({ child, exited, said: () => out });
      });
      child.on('exit', (code) => failed(new Error(`holder exited with ${code} before claiming`)));
    });
  }

  it('claims a free phase at once, silently, and removes its lock file on release', async () => {
    const claim = await claimPhase(request());
    const lockPath = phaseLockPath(ws.root, 'apps/app/phases.json', 3);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
    claim.release();
    expect(existsSync(lockPath)).toBe(false);
    expect(printed.join('')).toBe('');
  });

  it('takes over at once, saying so, a claim left by a process that no longer exists', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const lockPath = phaseLockPath(ws.root, 'apps/app/phases.json', 3);
    mkdirSync(dirname(lockPath), { recursive: true });
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }));
    const claim = await claimPhase(request());
    const line = `Took over the phase from pid ${deadPid}, which no longer exists\n`;
    expect(printed.join('')).toBe(`· ${line}✔ ${line}`); // the whole output: one step, no wait
    claim.release();
  });

  it('keeps different phases independent', async () => {
    const three = await claimPhase(request(3));
    const four = await claimPhase(request(4));
    three.release();
    four.release();
  });

  it('waits while another process holds the phase, and gets it when that process releases it', async () => {
    const { child, exited, said } = await startHolder();
    const waiting = claimPhase(request());
    await until(() => printed.join('').includes(`Waiting for pid ${child.pid}`));
    writeFileSync(releaseFile(), '');
    const claim = await waiting;
    await exited;
    expect(child.exitCode).toBe(0);
    expect(said()).toContain('still held'); // the waiter never took over a claim that was being renewed
    expect(printed.join('')).toContain(`for pid ${child.pid} to finish this phase`);
    claim.release();
  });

  it('says "another process" while the claim names no readable holder, and gets the phase once it is released', async () => {
    mkdirSync(dirname(lockPath()), { recursive: true });
    writeFileSync(lockPath(), 'half-written by a process that is still starting'); // no holder to name yet
    const before = performance.now();
    const waiting = claimPhase(request(3, QUICK_POLL)); // a minute's lease: never taken over during this test
    await until(() => /· Waiting for .*, which is running this phase/.test(printed.join(''))); // gate: it is watching
    rmSync(lockPath()); // its holder releases it
    const claim = await waiting;
    // Every wait shown is counted from this wait's start: never more than the test has waited (rounded to 0.1 s).
    const shown = [...printed.join('').matchAll(/(\d+\.\d) s/g)].map((match) => Number(match[1]));
    expect(shown.length).toBeGreaterThan(1);
    expect(Math.max(...shown)).toBeLessThanOrEqual((performance.now() - before) / 1000 + 0.05);
    const lines = printed.join('').split('\n');
    expect(lines[0]).toBe('· Waiting for another process running this phase');
    expect(lines[1]).toMatch(/^· Waiting for another process, which is running this phase \(\d+\.\d s\)$/);
    expect(lines.at(-2)).toMatch(/^✔ Waited \d+\.\d s for another process to finish this phase$/);
    expect(readLockHolder(lockPath())!.pid).toBe(process.pid);
    claim.release();
  });

  it('takes over from a holder killed with SIGKILL by noticing its pid is gone, not by waiting for the lease to expire', async () => {
    const { child } = await startHolder();
    const waiting = claimPhase(request());
    await until(() => printed.join('').includes(`Waiting for pid ${child.pid}`));
    child.kill('SIGKILL');
    const claim = await waiting;
    // The lease was renewed moments ago and lasts a minute: only the dead-pid check can have freed it.
    expect(printed.join('')).toContain(`Took over the phase from pid ${child.pid}, which no longer exists`);
    expect(JSON.parse(readFileSync(phaseLockPath(ws.root, 'apps/app/phases.json', 3), 'utf8')).pid).toBe(process.pid);
    claim.release();
  });

  it("keeps a live holder's claim past its lease by renewing it: a waiter never takes it over", async () => {
    const holder = await claimPhase(request(3, FAST));
    const token = readLockHolder(lockPath())!.token;
    let settled = false;
    const waiting = claimPhase(request(3, FAST)).finally(() => (settled = true));
    // Three leases as the waiter measures them: without renewals it would have taken over after the first.
    await sleep(3 * FAST.leaseMs!);
    expect(settled).toBe(false);
    expect(readLockHolder(lockPath())).toMatchObject({ pid: process.pid, token });
    expect(readLockHolder(lockPath())!.beat).toBeGreaterThan(0);
    holder.release();
    const claim = await waiting;
    expect(printed.join('')).toContain(`for pid ${process.pid} to finish this phase`);
    expect(printed.join('')).not.toContain('Took over');
    claim.release();
  });

  it('takes over from a live holder that stopped renewing, once the waiter has seen no renewal for a lease', async () => {
    const { child, exited, said } = await startHolder(FAST);
    const waiting = claimPhase(request(3, FAST));
    await until(() => printed.join('').includes(`Waiting for pid ${child.pid}`));
    child.kill('SIGSTOP'); // hung: its pid is alive, its heartbeat is not
    const stopped = performance.now();
    const claim = await waiting;
    expect(performance.now() - stopped).toBeGreaterThanOrEqual(FAST.leaseMs! - FAST.heartbeatMs!);
    expect(printed.join('')).toMatch(new RegExp(`· Took over the phase from pid ${child.pid}, which had not renewed its claim for 1\\.5 s \\(after \\d+\\.\\d s\\)\\n`));
    const mine = readLockHolder(lockPath())!;
    expect(mine.pid).toBe(process.pid);
    // The old holder wakes up: it learns it lost the claim (so the executor commits nothing), and its release
    // leaves the new holder's claim alone.
    child.kill('SIGCONT');
    writeFileSync(releaseFile(), '');
    await exited;
    expect(said()).toContain(`lost: Phase 3 of apps/app/phases.json was taken over by pid ${process.pid} on host ${hostname()}`);
    expect(readLockHolder(lockPath())).toMatchObject({ pid: mine.pid, token: mine.token });
    claim.release();
  });

  it('takes over a claim naming a live pid whose file time lies in the future, after one lease', async () => {
    mkdirSync(dirname(lockPath()), { recursive: true });
    writeFileSync(lockPath(), JSON.stringify({ pid: process.pid, host: hostname(), token: 'skewed', since: '2099-01-01T00:00:00.000Z', beat: 7 }));
    const future = new Date(Date.now() + 24 * 3600_000);
    utimesSync(lockPath(), future, future);
    const claim = await claimPhase(request(3, { ...FAST, leaseMs: 500 }));
    expect(printed.join('')).toContain(`Took over the phase from pid ${process.pid}, which had not renewed its claim for 0.5 s`);
    expect(readLockHolder(lockPath())!.token).not.toBe('skewed');
    claim.release();
  });

  it('gives up waiting for a holder that keeps renewing after the configured wait, saying who holds it and what to do', async () => {
    const { child } = await startHolder(QUICK_POLL);
    const since = readLockHolder(lockPath())!.since!;
    const attempt = claimPhase(request(3, { ...QUICK_POLL, maxWaitMs: 2_000 }));
    await expect(attempt).rejects.toThrow(ClaimWaitTimeoutError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(`phase 3 of apps/app/phases.json: it is claimed by pid ${child.pid} on host ${hostname()}, which has held it since ${since}`);
    expect(message).toContain(lockPath());
    expect(message).toContain(`allow a longer wait with ${CLAIM_WAIT_ENV}=<seconds>`);
    expect(message).toContain(`kill ${child.pid} on ${hostname()}`);
    expect(readLockHolder(lockPath())!.pid).toBe(child.pid); // the live claim was left alone
  });

  it('names the holder it last saw when the claim becomes unreadable before it gives up', async () => {
    mkdirSync(dirname(lockPath()), { recursive: true });
    writeFileSync(lockPath(), JSON.stringify({ pid: process.pid, host: hostname(), token: 'live', since: '2026-12-07T18:00:00.000Z' }));
    // The gate is the waiter's own first title: at that moment (synchronously) the claim becomes unreadable.
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      if (String(chunk).startsWith(`· Waiting for pid ${process.pid},`)) writeFileSync(lockPath(), '{"half": ');
      return true;
    });
    const message = await claimPhase(request(3, { ...QUICK_POLL, maxWaitMs: 500 })).catch((error: Error) => error.message);
    expect(readFileSync(lockPath(), 'utf8')).toBe('{"half": '); // it was unreadable at the last look
    expect(message).toContain(`it is claimed by pid ${process.pid} on host ${hostname()}, which has held it since 2026-12-07T18:00:00.000Z`);
    expect(message).toContain(`(kill ${process.pid} on ${hostname()})`);
  });

  it("stops waiting when cancelled, leaving the holder's claim alone", async () => {
    const { child } = await startHolder(QUICK_POLL);
    const token = readLockHolder(lockPath())!.token;
    const controller = new AbortController();
    const waiting = claimPhase(request(3, QUICK_POLL, controller.signal));
    await until(() => printed.join('').includes(`Waiting for pid ${child.pid}`)); // the waiter is polling
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow(WaitAbortedError);
    expect(readLockHolder(lockPath())).toMatchObject({ pid: child.pid, token });
  });

  it('reads the wait bound from NX_PHASES_CLAIM_WAIT_TIMEOUT in seconds, and rejects a value that is not one', () => {
    expect(claimTiming({}, {})).toEqual({ heartbeatMs: 5_000, leaseMs: 60_000, pollMs: 100, maxWaitMs: 1_800_000 });
    expect(claimTiming({ leaseMs: 10, maxWaitMs: 5 }, { [CLAIM_WAIT_ENV]: '90' })).toEqual({ heartbeatMs: 5_000, leaseMs: 10, pollMs: 100, maxWaitMs: 5 });
    expect(claimTiming({}, { [CLAIM_WAIT_ENV]: '90' }).maxWaitMs).toBe(90_000);
    expect(() => claimTiming({}, { [CLAIM_WAIT_ENV]: '10m' })).toThrow(`${CLAIM_WAIT_ENV}="10m" is not a number of seconds. Give a number of seconds greater than 0`);
  });

  it('lets a process that still holds a claim exit on its own: the heartbeat keeps no process alive', async () => {
    const script = `require(${JSON.stringify(join(__dirname, 'phase-claim.ts'))}).claimPhase({ workspaceRoot: ${JSON.stringify(ws.root)}, planFile: 'p.json', phaseNumber: 1, timing: { heartbeatMs: 20 } }).then(() => console.log('claimed'))`;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { env: { ...process.env, TS_NODE_PROJECT: TSCONFIG }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    const code = await new Promise((done) => child.on('exit', done)); // jest's timeout ends it if the heartbeat held it
    expect({ code, out }).toEqual({ code: 0, out: 'claimed\n' });
  });
});

describe('claim errors: what the user reads', () => {
  const request = { workspaceRoot: '/ws', planFile: 'apps/app/phases.json', phaseNumber: 3 };

  it('says who holds the claim since when, how long ago it was renewed, and each way out', () => {
    const holder = { pid: 42, host: 'build-1', token: 't', since: '2026-12-07T10:00:00.000Z' };
    expect(new ClaimWaitTimeoutError(request, '/ws/x.lock', holder, 1_800_000, 2_500).message).toBe(
      'Gave up after 1800.0 s waiting for phase 3 of apps/app/phases.json: it is claimed by pid 42 on host build-1, which has held it since 2026-12-07T10:00:00.000Z ' +
        'and was last renewed 2.5 s ago (/ws/x.lock). Fix: if that process is still working, wait for it and run again, or allow a longer wait with ' +
        `${CLAIM_WAIT_ENV}=<seconds>; if it is stuck, stop it (kill 42 on build-1); if no nx-phases task is running anywhere, delete that file.`,
    );
  });

  it('leaves out what it does not know: no start time, no holder', () => {
    const noSince = new ClaimWaitTimeoutError(request, '/ws/x.lock', { pid: 42, host: 'h', token: 't' }, 1_000, 0).message;
    expect(noSince).toContain('it is claimed by pid 42 on host h and was last renewed 0.0 s ago');
    const nobody = new ClaimWaitTimeoutError(request, '/ws/x.lock', undefined, 1_000, 0, 'run the cleanup').message;
    expect(nobody).toContain('it is claimed by another process and was last renewed');
    expect(nobody).toContain('if it is stuck, stop it; if no nx-phases task is running anywhere, run the cleanup.');
    expect(new ClaimWaitTimeoutError(request, '/ws/x.lock', undefined, 1_000, 0).name).toBe('ClaimWaitTimeoutError');
  });

  it('tells the process that lost its claim that it committed nothing, and who has the phase now', () => {
    const lost = new ClaimLostError(request, '/ws/x.lock', { pid: 7, host: 'h2', token: 't' });
    expect(lost.name).toBe('ClaimLostError');
    expect(lost.message).toBe(
      'Phase 3 of apps/app/phases.json was taken over by pid 7 on host h2 while this process did not renew its claim ' +
        '(it was stopped, or too busy to renew for a whole lease), so this process committed nothing (/ws/x.lock). ' +
        'Fix: nothing to do if pid 7 on host h2 finishes the phase; if this machine is overloaded, run with a lower --parallel.',
    );
    expect(new ClaimLostError(request, '/ws/x.lock', undefined).message).toContain('was taken over by another process while');
  });
});

/** Polls a condition (no time limit of its own: jest's timeout ends a hung test). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}
