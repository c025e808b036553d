import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileBudgetStore } from './file-budget-store';
import { LedgerError } from './ledger';
import { BudgetExceededError, reserveCall } from './reserve-call';
import type { BudgetWorkerConfig } from './test-utils/budget-worker';

const WORKER = join(__dirname, 'test-utils', 'budget-worker.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');
const host = hostname();

// Real processes on a possibly busy machine: generous limits, no timing assertions.
jest.setTimeout(60_000);

describe('FileBudgetStore', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  const liveRun = { id: 'run-a', pid: process.pid, host };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nx-phases-budget-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const store = (budgetUsd: number, run = liveRun) => new FileBudgetStore({ dir, budgetUsd, run });

  /** Starts a worker and resolves with its one-line answer (the worker keeps running with `hold`). */
  function startWorker(config: Partial<BudgetWorkerConfig>): Promise<{ ok: boolean; pid: number; child: ChildProcess }> {
    const full: BudgetWorkerConfig = { dir, budgetUsd: 1, runId: 'run-a', runPid: process.pid, amountUsd: 0.25, phase: 'shop#1', ...config };
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', WORKER, JSON.stringify(full)], {
      env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
      stdio: [config.gate ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolvePromise, reject) => {
      child.stdout?.on('data', (chunk) => {
        stdout += chunk;
        const answer = stdout.split('\n').find((line) => line.startsWith('{'));
        if (answer) resolvePromise({ ...JSON.parse(answer), child });
        else if (stdout.includes('ready\n')) ready.push(child);
      });
      child.on('exit', (code) => reject(new Error(`worker exited ${code} before answering: ${stderr}`)));
    });
  }

  const ready: ChildProcess[] = [];

  function exited(child: ChildProcess): Promise<void> {
    return new Promise((resolvePromise) => (child.exitCode !== null || child.signalCode !== null ? resolvePromise() : child.on('exit', () => resolvePromise())));
  }

  it('reserves, refuses what would pass the budget with the numbers, and settles to the real cost', async () => {
    const budget = store(1);
    expect(await budget.reserve({ id: 'a', amountUsd: 0.6, phase: 'shop#1' })).toEqual({ ok: true });
    expect(await budget.reserve({ id: 'b', amountUsd: 0.5, phase: 'shop#2' })).toEqual({
      ok: false,
      budgetUsd: 1,
      spentUsd: 0,
      reservedUsd: 0.6,
      neededUsd: 0.5,
    });
    await budget.settle('a', 0.1);
    expect(await budget.status()).toEqual({ budgetUsd: 1, spentUsd: 0.1, reservedUsd: 0 });
    expect(await budget.reserve({ id: 'b', amountUsd: 0.5, phase: 'shop#2' })).toEqual({ ok: true });
    await budget.release('b');
    expect(await budget.status()).toEqual({ budgetUsd: 1, spentUsd: 0.1, reservedUsd: 0 });
  });

  it('never lets processes reserving at the same time pass the budget together', async () => {
    const started = Array.from({ length: 6 }, (_, i) => startWorker({ phase: `shop#${i + 1}`, amountUsd: 0.25, hold: true, gate: true }));
    while (ready.length < 6) await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
    for (const child of ready.splice(0)) child.stdin?.write('go\n'); // the gate: all six reserve at once
    const answers = await Promise.all(started);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(4);
    expect(await store(1).status()).toEqual({ budgetUsd: 1, spentUsd: 0, reservedUsd: 1 });
  });

  it("releases a SIGKILLed holder's reservation at the next change", async () => {
    const holder = await startWorker({ amountUsd: 0.8, hold: true });
    expect(holder.ok).toBe(true);
    const budget = store(1);
    expect(await budget.reserve({ id: 'b', amountUsd: 0.5, phase: 'shop#2' })).toMatchObject({ ok: false, reservedUsd: 0.8 });
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    expect(await budget.reserve({ id: 'b', amountUsd: 0.5, phase: 'shop#2' })).toEqual({ ok: true });
    expect(JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8')).reservations.map((r: { id: string }) => r.id)).toEqual(['b']);
  });

  it('keeps everything settled before a process is SIGKILLed in the middle of its ledger changes, and drops its reservation', async () => {
    const worker = await startWorker({ budgetUsd: 100, amountUsd: 0.001, loop: true });
    let printed = '';
    worker.child.stdout?.on('data', (chunk) => (printed += chunk));
    const settledSoFar = () => Math.max(0, ...[...printed.matchAll(/settled (\d+)/g)].map((m) => Number(m[1])));
    while (settledSoFar() < 20) await new Promise((resolvePromise) => setTimeout(resolvePromise, 10)); // the gate: 20 changes made
    worker.child.kill('SIGKILL'); // somewhere in a reserve or a settle: under the lock, writing, or between changes
    await exited(worker.child);
    const settled = settledSoFar();
    const status = await store(100).status(); // the next change: the ledger reads back whole, the dead holder's lock is no obstacle
    expect(status.reservedUsd).toBe(0);
    expect(status.spentUsd).toBeGreaterThanOrEqual(Number((settled * 0.001).toFixed(6)));
    expect(status.spentUsd).toBeLessThanOrEqual(Number(((settled + 1) * 0.001).toFixed(6)));
  });

  it('shares what is spent with a concurrent run, and starts afresh once every run of the period is gone', async () => {
    const first = store(1);
    await first.reserve({ id: 'a', amountUsd: 0.5, phase: 'shop#1' });
    await first.settle('a', 0.7);
    // A second run while the first one's nx process (this test process) is alive: same period.
    expect(await store(1, { id: 'run-b', pid: process.pid, host }).reserve({ id: 'b', amountUsd: 0.5, phase: 'blog#1' })).toMatchObject({
      ok: false,
      spentUsd: 0.7,
    });
    // A run whose nx process has exited, alone in the ledger: the next run starts a new period.
    const gone = await startWorker({ runId: 'run-c', amountUsd: 0 });
    await exited(gone.child);
    writeFileSync(
      join(dir, 'ledger.json'),
      JSON.stringify({ version: 1, spentUsd: 0.7, runs: [{ id: 'run-c', pid: gone.pid, host }], reservations: [] }),
    );
    expect(await store(1, { id: 'run-d', pid: process.pid, host }).reserve({ id: 'd', amountUsd: 0.5, phase: 'shop#1' })).toEqual({ ok: true });
  });

  it('refuses a damaged ledger without rewriting it', async () => {
    const file = join(dir, 'ledger.json');
    writeFileSync(file, '{"version":1,"spentUsd":"free","runs":[],"reservations":[]}');
    await expect(store(1).reserve({ id: 'a', amountUsd: 0.1, phase: 'shop#1' })).rejects.toThrow(LedgerError);
    await expect(store(1).status()).rejects.toThrow(`${file} is damaged: $.spentUsd must be a finite number >= 0`);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"spentUsd":"free","runs":[],"reservations":[]}');
  });

  it('reserveCall waits while only running calls stand in the way, then reserves', async () => {
    const budget = store(1);
    await budget.reserve({ id: 'running', amountUsd: 0.6, phase: 'shop#1' });
    let waits = 0;
    await reserveCall(
      budget,
      { id: 'next', amountUsd: 0.5, phase: 'shop#2' },
      {
        pollMs: 1,
        onWait: (refusal) => {
          expect(refusal).toMatchObject({ reservedUsd: 0.6, neededUsd: 0.5 });
          if (waits++ === 0) void budget.settle('running', 0.2); // the gate: the running call ends while we wait
        },
      },
    );
    expect(waits).toBeGreaterThan(0);
    expect(await budget.status()).toEqual({ budgetUsd: 1, spentUsd: 0.2, reservedUsd: 0.5 });
  });

  it('reserveCall fails at once with budget, spent, reserved and needed when the call can never fit', async () => {
    const budget = store(0.05);
    await budget.reserve({ id: 'a', amountUsd: 0.01, phase: 'shop#1' });
    await budget.settle('a', 0.03);
    await budget.reserve({ id: 'b', amountUsd: 0.01, phase: 'shop#2' });
    const attempt = reserveCall(budget, { id: 'c', amountUsd: 0.0234, phase: 'shop#3' }, { onWait: () => fail('must not wait') });
    await expect(attempt).rejects.toThrow(BudgetExceededError);
    await expect(reserveCall(budget, { id: 'c', amountUsd: 0.0234, phase: 'shop#3' })).rejects.toThrow(
      'Budget exceeded: phase shop#3 needs up to $0.0234 for its next call, but the budget is $0.0500 with $0.0300 spent and $0.0100 reserved',
    );
  });
});
