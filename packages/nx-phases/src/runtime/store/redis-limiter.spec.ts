import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRedisServer, type RedisServer } from '../../test-utils/redis-server';
import { CrossProcessRateLimiter } from '../rate-limit/limiter';
import type { LimiterWorkerConfig } from '../rate-limit/test-utils/limiter-worker';
import { RedisUnavailableError } from './redis-connection';
import { limiterKey, redisLimiterStore } from './redis-limiter-store';
import { closeRedisStore, useRedisStore, type RedisStore } from './store-client';

interface SlotRecord {
  pid: number;
  worker: string;
  startedAt: number;
  sentAt: number;
  releasedAt?: number;
}

const WORKER = join(__dirname, '..', 'rate-limit', 'test-utils', 'limiter-worker.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');
const ENDPOINT = ['http://127.0.0.1:1/v1', 'test-model'] as const;

// Real processes and a real redis-server on a possibly busy machine: no upper-bound timing assertions.
jest.setTimeout(90_000);

describe('the shared rate limiter on a real Redis (each worker process another machine)', () => {
  let redis: RedisServer;
  let store: RedisStore;
  let dir: string;
  let logFile: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nx-phases-redis-limiter-'));
    logFile = join(dir, 'slots.jsonl');
    store = (await useRedisStore({ NX_PHASES_STORE: redis.url }))!;
    await store.client.flushall();
  });
  afterEach(() => {
    closeRedisStore();
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  function startWorker(worker: string, config: Partial<LimiterWorkerConfig>): { child: ChildProcess; done: Promise<void> } {
    const full: LimiterWorkerConfig = {
      worker,
      redisUrl: redis.url,
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
    const done = new Promise<void>((ok, fail) => child.on('exit', (code, signal) => (code === 0 ? ok() : fail(new Error(`worker ${worker} exited ${code ?? signal}: ${stderr}`)))));
    done.catch(() => undefined);
    return { child, done };
  }

  const records = (): SlotRecord[] =>
    existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];

  async function waitForRecord(predicate: (record: SlotRecord) => boolean): Promise<SlotRecord> {
    for (;;) {
      const found = records().find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

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

  it('keeps requests in flight at or below the limit and spaces sends, across three processes (Redis clock)', async () => {
    const limits = { maxConcurrentRequests: 2, minDelayBetweenMs: 60, requestsPerMinute: 0 };
    const workers = ['a', 'b', 'c'].map((name) => startWorker(name, { limits, requests: 4, holdMs: 100 }));
    await Promise.all(workers.map((w) => w.done));
    const slots = records();
    expect(slots).toHaveLength(12);
    expect(maxInFlight(slots)).toBeLessThanOrEqual(2);
    const sends = slots.map((s) => s.sentAt).sort((x, y) => x - y);
    for (let i = 1; i < sends.length; i++) expect(sends[i] - sends[i - 1]).toBeGreaterThanOrEqual(60);
  });

  it('allows at most requestsPerMinute starts in any window (short window injected)', async () => {
    const limits = { maxConcurrentRequests: 3, minDelayBetweenMs: 0, requestsPerMinute: 3 };
    const timing = { windowMs: 1000, windowGuardMs: 50 };
    const workers = ['a', 'b', 'c'].map((name) => startWorker(name, { limits, timing, requests: 3, holdMs: 10 }));
    await Promise.all(workers.map((w) => w.done));
    const sends = records().map((s) => s.sentAt).sort((x, y) => x - y);
    expect(sends).toHaveLength(9);
    for (let i = 3; i < sends.length; i++) expect(sends[i] - sends[i - 3]).toBeGreaterThanOrEqual(1000);
  });

  it('shares tokensPerMinute: reserved tokens of every machine count in one window (short window injected)', async () => {
    const limits = { maxConcurrentRequests: 3, minDelayBetweenMs: 0, requestsPerMinute: 0, tokensPerMinute: 5 };
    const timing = { windowMs: 1000, windowGuardMs: 50 };
    const workers = ['a', 'b', 'c'].map((name) => startWorker(name, { limits, timing, requests: 2, holdMs: 10, tokens: 2 }));
    await Promise.all(workers.map((w) => w.done));
    const sends = records().map((s) => s.sentAt).sort((x, y) => x - y);
    expect(sends).toHaveLength(6);
    // 2 tokens each, 5 a window: at most two requests in any window, whichever machine sent them
    for (let i = 2; i < sends.length; i++) expect(sends[i] - sends[i - 2]).toBeGreaterThanOrEqual(1000);
  });

  it("frees a stopped machine's in-flight slot once its lease expires", async () => {
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

  it('shares the cooldown after a 429: a second limiter sees it through Redis alone', async () => {
    const limits = { maxConcurrentRequests: 5, minDelayBetweenMs: 0, requestsPerMinute: 0 };
    const other = (await useRedisStore({ NX_PHASES_STORE: redis.url }))!;
    const first = new CrossProcessRateLimiter({ store: redisLimiterStore(store, ...ENDPOINT), limits });
    const second = new CrossProcessRateLimiter({ store: redisLimiterStore(other, ...ENDPOINT), limits });
    const [seconds] = await store.client.time();
    const until = Number(seconds) * 1000 + 1_500;
    await first.pauseUntil(until);
    const reasons: string[] = [];
    const lease = await second.acquire({ onWait: (status) => reasons.push(status.reason) });
    expect(reasons).toContain('paused');
    expect(lease.startedAt).toBeGreaterThanOrEqual(until);
    await lease.release();
    closeRedisStore();
  });

  it("keeps a 429 cooldown and a provider's reset on the Redis clock when a machine's clock is a minute off", async () => {
    const limits = { maxConcurrentRequests: 5, minDelayBetweenMs: 0, requestsPerMinute: 0 };
    const redisNow = async () => {
      const [seconds, micros] = await store.client.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    };
    const stored = async () => JSON.parse((await store.client.get(limiterKey(...ENDPOINT)))!);
    for (const skewMs of [60_000, -60_000]) {
      await store.client.flushall();
      const clock = () => Date.now() + skewMs;
      const skewed = new CrossProcessRateLimiter({ store: redisLimiterStore(store, ...ENDPOINT), limits, clock });
      const before = await redisNow();
      await skewed.pauseUntil(clock() + 1_500); // a Retry-After of 1.5 s, on the skewed clock
      await skewed.tighten({ requests: { remaining: 0, resetAt: clock() + 2_000 }, tokens: {} });
      const after = await redisNow();
      const state = await stored();
      expect(state.pausedUntil).toBeGreaterThanOrEqual(before + 1_000);
      expect(state.pausedUntil).toBeLessThanOrEqual(after + 1_500);
      expect(state.provider.requests.resetAt).toBeGreaterThanOrEqual(before + 1_500);
      expect(state.provider.requests.resetAt).toBeLessThanOrEqual(after + 2_000);
    }
  });

  it("waits out a pause by the Redis clock when the machine's clock is off: no busy polling, no minute-long countdown", async () => {
    const limits = { maxConcurrentRequests: 5, minDelayBetweenMs: 0, requestsPerMinute: 0 };
    for (const skewMs of [60_000, -60_000]) {
      await store.client.flushall();
      const clock = () => Date.now() + skewMs;
      const skewed = new CrossProcessRateLimiter({ store: redisLimiterStore(store, ...ENDPOINT), limits, clock });
      await skewed.pauseUntil(clock() + 1_000);
      const waits: Array<number | undefined> = [];
      const lease = await skewed.acquire({ onWait: (status) => waits.push(status.remainingMs) });
      await lease.release();
      expect(waits.length).toBeGreaterThan(0);
      expect(waits.length).toBeLessThan(60); // sleeps of up to 250 ms, not 1 ms polls against a clock already past the pause
      for (const remaining of waits) expect(remaining).toBeLessThanOrEqual(1_000);
    }
  });

  it('ignores a hostile state value (wrong shapes) instead of trusting it', async () => {
    await store.client.set(limiterKey(...ENDPOINT), JSON.stringify({ version: 1, leases: [{ id: 'x', startedAt: 'soon', expiresAt: 'never', pid: 1, host: 'h' }], starts: [], waiters: 'no' }));
    const limiter = new CrossProcessRateLimiter({ store: redisLimiterStore(store, ...ENDPOINT), limits: { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 0 } });
    const lease = await limiter.acquire();
    await lease.release();
  });

  it('fails clearly, naming the URL, when Redis is gone', async () => {
    const limiter = new CrossProcessRateLimiter({ store: redisLimiterStore(store, ...ENDPOINT), limits: { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 0 } });
    await redis.stop();
    try {
      const attempt = limiter.acquire();
      await expect(attempt).rejects.toThrow(RedisUnavailableError);
      await expect(limiter.acquire()).rejects.toThrow(`could not keep using the coordination store Redis at ${redis.url}`);
    } finally {
      closeRedisStore();
      await redis.start();
      store = (await useRedisStore({ NX_PHASES_STORE: redis.url }))!;
    }
  });
});
