import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LimiterWorkerConfig } from './test-utils/limiter-worker';

interface SlotRecord {
  pid: number;
  worker: string;
  startedAt: number;
  sentAt: number;
  releasedAt?: number;
}

const WORKER = join(__dirname, 'test-utils', 'limiter-worker.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real processes on a possibly busy machine: generous limits, no upper-bound timing assertions.
jest.setTimeout(60_000);

describe('CrossProcessRateLimiter across real processes', () => {
  let dir: string;
  let logFile: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nx-phases-limiter-proc-'));
    logFile = join(dir, 'slots.jsonl');
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  function startWorker(worker: string, config: Partial<LimiterWorkerConfig>): { child: ChildProcess; done: Promise<void> } {
    const full: LimiterWorkerConfig = {
      worker,
      stateDir: join(dir, 'state'),
      limits: { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 0 },
      requests: 1,
      holdMs: 0,
      logFile,
      ...config,
    };
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', WORKER, JSON.stringify(full)], {
      env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const done = new Promise<void>((resolvePromise, reject) =>
      child.on('exit', (code, signal) =>
        code === 0 ? resolvePromise() : reject(new Error(`worker ${worker} exited ${code ?? signal}: ${stderr}`)),
      ),
    );
    done.catch(() => undefined); // tests that kill a worker await `done` themselves
    return { child, done };
  }

  const records = (): SlotRecord[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];

  async function waitForRecord(predicate: (record: SlotRecord) => boolean): Promise<SlotRecord> {
    for (;;) {
      const found = records().find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves once the shared state lists `pid` among the waiters (the file is replaced atomically), or it got a slot. */
  async function waitForQueued(pid: number): Promise<void> {
    const stateFile = join(dir, 'state', 'state.json');
    for (;;) {
      const waiters = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')).waiters as { pid: number }[]) : [];
      if (waiters.some((w) => w.pid === pid) || records().some((r) => r.pid === pid)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Most leases held at once, from exact grant/free times recorded in the shared state. */
  function maxInFlight(slots: SlotRecord[]): number {
    const events = slots.flatMap((s) => [
      { at: s.startedAt, delta: 1 },
      { at: s.releasedAt as number, delta: -1 },
    ]);
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let current = 0;
    let max = 0;
    for (const event of events) max = Math.max(max, (current += event.delta));
    return max;
  }

  it('keeps concurrency at or below the limit and spaces sends by minDelayBetweenMs', async () => {
    const limits = { maxConcurrentRequests: 2, minDelayBetweenMs: 80, requestsPerMinute: 0 };
    const workers = ['a', 'b', 'c', 'd'].map((name) => startWorker(name, { limits, requests: 4, holdMs: 150 }));
    await Promise.all(workers.map((w) => w.done));
    const slots = records();
    expect(slots).toHaveLength(16);
    expect(new Set(slots.map((s) => s.pid)).size).toBe(4);
    expect(maxInFlight(slots)).toBeLessThanOrEqual(2);
    const sends = slots.map((s) => s.sentAt).sort((x, y) => x - y);
    for (let i = 1; i < sends.length; i++) expect(sends[i] - sends[i - 1]).toBeGreaterThanOrEqual(80);
  });

  it('allows at most requestsPerMinute starts in any window (short window injected)', async () => {
    const limits = { maxConcurrentRequests: 3, minDelayBetweenMs: 0, requestsPerMinute: 3 };
    const timing = { windowMs: 1000, windowGuardMs: 50 };
    const workers = ['a', 'b', 'c'].map((name) => startWorker(name, { limits, timing, requests: 3, holdMs: 10 }));
    await Promise.all(workers.map((w) => w.done));
    const sends = records()
      .map((s) => s.sentAt)
      .sort((x, y) => x - y);
    expect(sends).toHaveLength(9);
    for (let i = 3; i < sends.length; i++) expect(sends[i] - sends[i - 3]).toBeGreaterThanOrEqual(1000);
  });

  it('reclaims the slot of a holder killed with SIGKILL so others continue', async () => {
    const holder = startWorker('holder', { holdForever: true, leaseMs: 60_000, heartbeatMs: 1_000 });
    await waitForRecord((r) => r.worker === 'holder');
    const waiter = startWorker('waiter', { requests: 2, holdMs: 20, leaseMs: 60_000 });
    await waitForQueued(waiter.child.pid!); // a gate: the waiter is in the shared queue, behind the live holder
    expect(records().filter((r) => r.worker === 'waiter')).toEqual([]);
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await expect(holder.done).rejects.toThrow('SIGKILL');
    await waiter.done;
    const served = records().filter((r) => r.worker === 'waiter');
    expect(served).toHaveLength(2);
    expect(served[0].startedAt).toBeGreaterThanOrEqual(killedAt);
  });

  it('reclaims the slot of a live but unresponsive holder once its lease expires', async () => {
    const leaseMs = 1_500;
    const holder = startWorker('holder', { holdForever: true, leaseMs, heartbeatMs: 300 });
    const held = await waitForRecord((r) => r.worker === 'holder');
    holder.child.kill('SIGSTOP');
    const waiter = startWorker('waiter', { requests: 1, leaseMs });
    await waiter.done;
    const [served] = records().filter((r) => r.worker === 'waiter');
    expect(served.startedAt).toBeGreaterThanOrEqual(held.startedAt + leaseMs);
    holder.child.kill('SIGKILL');
  });
});
