import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyState, type LimiterState } from './limiter-state';
import { CrossProcessRateLimiter, LimiterStateStore, WaitStatus } from './limiter';
import { SharedPauseTooLongError } from './retry-policy';
import { WaitAbortedError } from './sleep';
import { rateLimitStateDir } from './state-dir';

/**
 * Records a waiter's statuses; `queued` resolves at its first status, which the limiter reports only after the
 * waiter has joined the shared queue: a gate, where a sleep would only guess.
 */
function waitGate() {
  const statuses: WaitStatus[] = [];
  let first!: (status: WaitStatus) => void;
  const queued = new Promise<WaitStatus>((resolve) => (first = resolve));
  return { statuses, queued, onWait: (status: WaitStatus) => (statuses.push(status), first(status)) };
}

describe('CrossProcessRateLimiter (one process)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-phases-limiter-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const limiter = (limits = {}, extra = {}) =>
    new CrossProcessRateLimiter({
      stateDir: dir,
      limits: { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 0, ...limits },
      ...extra,
    });

  it('grants, records and frees a lease in the shared state', async () => {
    const lease = await limiter().acquire({ tokens: 42 });
    const held = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(held.leases).toEqual([expect.objectContaining({ pid: process.pid, startedAt: lease.startedAt })]);
    expect(held.starts).toEqual([expect.objectContaining({ at: lease.startedAt, tokens: 42 })]);
    const releasedAt = await lease.release(50);
    expect(releasedAt).toBeGreaterThanOrEqual(lease.startedAt);
    const freed = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(freed.leases).toEqual([]);
    expect(freed.starts[0].tokens).toBe(50);
    expect(await lease.release()).toBeUndefined();
  });

  it('makes a second request wait for the first and reports why', async () => {
    const shared = limiter();
    const first = await shared.acquire();
    const { statuses, queued, onWait } = waitGate();
    const asked = Date.now();
    const second = shared.acquire({ onWait });
    await queued;
    const releasedAt = (await first.release()) as number;
    const lease = await second;
    const answered = Date.now();
    expect(lease.startedAt).toBeGreaterThanOrEqual(releasedAt);
    expect(lease.waitedMs).toBeGreaterThan(0);
    expect(lease.waitedMs).toBeLessThanOrEqual(answered - asked); // measured from its own start, not from the epoch
    expect(statuses[0]).toEqual({ reason: 'concurrency', inFlight: 1, maxConcurrentRequests: 1, remainingMs: undefined });
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).waiters).toEqual([]);
    await lease.release();
  });

  it('counts down a known wait (minDelayBetweenMs from the send time)', async () => {
    const shared = limiter({ maxConcurrentRequests: 5, minDelayBetweenMs: 400 });
    const first = await shared.acquire();
    const sentAt = (await first.markSent()) as number;
    expect(sentAt).toBeGreaterThanOrEqual(first.startedAt);
    const statuses: WaitStatus[] = [];
    const second = await shared.acquire({ onWait: (status) => statuses.push(status) });
    expect(second.startedAt - sentAt).toBeGreaterThanOrEqual(400);
    expect(statuses[0].reason).toBe('spacing');
    expect(statuses[0].remainingMs).toBeGreaterThan(statuses.at(-1)?.remainingMs as number);
    await Promise.all([first.release(), second.release()]);
  });

  it('starts nothing else while a granted request is still being sent (with minDelayBetweenMs)', async () => {
    const shared = limiter({ maxConcurrentRequests: 5, minDelayBetweenMs: 50 });
    const first = await shared.acquire();
    const { statuses, queued, onWait } = waitGate();
    const second = shared.acquire({ onWait });
    await queued; // the second is waiting while the first has not reported its send
    const sentAt = (await first.markSent()) as number;
    const lease = await second;
    expect(lease.startedAt - sentAt).toBeGreaterThanOrEqual(50);
    expect(statuses[0]).toMatchObject({ reason: 'spacing', remainingMs: undefined });
    await Promise.all([first.release(), lease.release()]);
  });

  it('treats a lease released without markSent as sent at release', async () => {
    const shared = limiter({ maxConcurrentRequests: 5, minDelayBetweenMs: 100 });
    const first = await shared.acquire();
    const releasedAt = (await first.release()) as number;
    const second = await shared.acquire();
    expect(second.startedAt - releasedAt).toBeGreaterThanOrEqual(100);
    await second.release();
  });

  it('serves waiters first come, first served, and tells them how many are ahead', async () => {
    const shared = limiter();
    const held = await shared.acquire();
    const order: string[] = [];
    const firstGate = waitGate();
    const secondGate = waitGate();
    const first = shared.acquire({ onWait: firstGate.onWait }).then((lease) => (order.push('first'), lease));
    await firstGate.queued; // the first has joined the queue before the second asks
    const second = shared.acquire({ onWait: secondGate.onWait }).then((lease) => (order.push('second'), lease));
    const statuses = secondGate.statuses;
    await secondGate.queued;
    await held.release();
    await (await first).release();
    await (await second).release();
    expect(order).toEqual(['first', 'second']);
    expect(statuses[0]).toMatchObject({ reason: 'queued', ahead: 1 });
  });

  it('gives up its place in the queue when cancelled', async () => {
    const shared = limiter();
    const held = await shared.acquire();
    const controller = new AbortController();
    const { queued, onWait } = waitGate();
    const cancelled = shared.acquire({ signal: controller.signal, onWait }).catch((error) => error);
    await queued;
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).waiters).toEqual([expect.objectContaining({ pid: process.pid })]);
    controller.abort();
    expect(await cancelled).toBeInstanceOf(WaitAbortedError);
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).waiters).toEqual([]);
    await held.release();
  });

  it('pauses every caller until a Retry-After passes', async () => {
    const shared = limiter({ maxConcurrentRequests: 5 });
    const pausedUntil = Date.now() + 300;
    await shared.pauseUntil(pausedUntil);
    const lease = await shared.acquire();
    expect(lease.startedAt).toBeGreaterThanOrEqual(pausedUntil);
    await lease.release();
  });

  it('stops waiting when the signal aborts', async () => {
    const shared = limiter();
    const held = await shared.acquire();
    const controller = new AbortController();
    const waiting = shared.acquire({ signal: controller.signal });
    controller.abort(new Error('phase cancelled'));
    await expect(waiting).rejects.toThrow('Cancelled while waiting: phase cancelled.');
    await held.release();
  });

  it('rejects a maxConcurrentRequests below 1', () => {
    expect(() => limiter({ maxConcurrentRequests: 0 })).toThrow('rateLimit.maxConcurrentRequests must be at least 1');
  });
});

/** Resolves once this machine's clock has passed `at`, so the next recorded time differs from it (a gate, not a sleep). */
async function pastMs(at: number): Promise<void> {
  while (Date.now() <= at) await new Promise((resolve) => setImmediate(resolve));
}

describe('CrossProcessRateLimiter: what it writes in the shared state', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-phases-limiter-state-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const state = (): LimiterState => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  const limits = { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 0 };
  const limiter = (more = {}, extra = {}) => new CrossProcessRateLimiter({ stateDir: dir, limits: { ...limits, ...more }, ...extra });

  it('needs a state folder or a store, and names the maxConcurrentRequests it refuses', () => {
    expect(() => new CrossProcessRateLimiter({ limits })).toThrow('nx-phases internal error: a rate limiter needs a stateDir or a store');
    expect(() => limiter({ maxConcurrentRequests: 0.5 })).toThrow(/^rateLimit\.maxConcurrentRequests must be at least 1 \(got 0\.5\)\.$/);
    expect(() => limiter({ maxConcurrentRequests: Number.NaN })).toThrow('(got NaN)');
    expect(limiter({ maxConcurrentRequests: 1 })).toBeInstanceOf(CrossProcessRateLimiter);
  });

  it('gives a lease leaseMs (default 20 s) from its start, and renews it by heartbeat while held', async () => {
    const byDefault = await limiter().acquire();
    expect(state().leases[0].expiresAt).toBe(byDefault.startedAt + 20_000);
    await byDefault.release();
    const lease = await limiter({}, { leaseMs: 60_000, heartbeatMs: 20 }).acquire();
    const granted = state().leases[0].expiresAt;
    expect(granted).toBe(lease.startedAt + 60_000);
    while (!(state().leases[0].expiresAt > granted)) await new Promise((resolve) => setTimeout(resolve, 10)); // gate: the renewal
    await lease.release();
    expect(state().leases).toEqual([]);
  });

  it('moves a start to its send time, keeping the starts in time order, and keeps the reservation without an actual count', async () => {
    const shared = limiter({ maxConcurrentRequests: 2 });
    const early = await shared.acquire({ tokens: 42 });
    const late = await shared.acquire({ tokens: 7 });
    await pastMs(late.startedAt);
    const sentAt = (await early.markSent()) as number;
    await pastMs(sentAt);
    expect(await early.markSent()).toBe(sentAt); // reported once: a second call is the first one's answer
    const sent = state();
    expect(sent.starts.map((start) => [start.tokens, start.at])).toEqual([
      [7, late.startedAt],
      [42, sentAt],
    ]);
    expect([sent.lastStartAt, sent.leases.map((lease) => lease.sentAt)]).toEqual([sentAt, [sentAt, undefined]]);
    await pastMs(sentAt);
    const releasedAt = (await early.release(40)) as number;
    expect(releasedAt).toBeGreaterThan(sentAt);
    const lateReleasedAt = (await late.release()) as number;
    expect(state().starts.map((start) => [start.tokens, start.at])).toEqual([
      [40, sentAt],
      [7, lateReleasedAt],
    ]);
    expect(state().lastStartAt).toBe(lateReleasedAt);
  });

  it('marks and releases its own lease, not the first one listed', async () => {
    const shared = limiter({ maxConcurrentRequests: 2 });
    const first = await shared.acquire({ tokens: 1 });
    const second = await shared.acquire({ tokens: 2 });
    await pastMs(second.startedAt);
    const firstSentAt = (await first.markSent()) as number;
    await pastMs(firstSentAt);
    const secondSentAt = (await second.markSent()) as number;
    expect(state().leases.map((lease) => lease.sentAt)).toEqual([firstSentAt, secondSentAt]);
    expect(state().starts.map((start) => [start.tokens, start.at])).toEqual([
      [1, firstSentAt],
      [2, secondSentAt],
    ]);
    await first.release();
    const third = await shared.acquire({ tokens: 3 });
    await pastMs(third.startedAt);
    const releasedAt = (await third.release()) as number; // never reported sent: counted as sent at its release
    expect(state().starts.find((start) => start.tokens === 3)?.at).toBe(releasedAt);
    await second.release();
  });

  it('still reports the send time of a lease that expired before it was sent, and counts its start from then', async () => {
    const lease = await limiter({}, { leaseMs: 1 }).acquire({ tokens: 5 });
    await pastMs(lease.startedAt + 1); // the lease has expired: the next update prunes it
    const sentAt = await lease.markSent();
    expect(typeof sentAt).toBe('number');
    expect([state().leases, state().starts.map((start) => start.at), state().lastStartAt]).toEqual([[], [sentAt], sentAt]);
    await lease.release();
  });

  it('still records the send of a request held longer than the window, whose start has left it', async () => {
    const lease = await limiter({}, { timing: { windowMs: 1, windowGuardMs: 0 } }).acquire();
    await pastMs(lease.startedAt + 1); // the next update prunes its start
    const sentAt = (await lease.markSent()) as number;
    expect(typeof sentAt).toBe('number');
    expect([state().leases.map((held) => held.sentAt), state().lastStartAt]).toEqual([[sentAt], sentAt]);
    await lease.release();
  });

  it('renews each held lease by its own heartbeat, not the first one listed', async () => {
    const shared = limiter({ maxConcurrentRequests: 2 }, { leaseMs: 60_000, heartbeatMs: 20 });
    const first = await shared.acquire();
    const second = await shared.acquire();
    const granted = state().leases[1].expiresAt;
    expect(granted).toBe(second.startedAt + 60_000);
    while (!(state().leases[1].expiresAt > granted)) await new Promise((resolve) => setTimeout(resolve, 10)); // gate: its renewal
    await Promise.all([first.release(), second.release()]);
  });

  it("records a provider's reset on the store's clock, and makes the next request wait for it", async () => {
    const clock = () => Date.now() + 3_600_000; // this machine is an hour ahead of the store
    const shared = limiter({ maxConcurrentRequests: 5 }, { clock });
    const before = Date.now();
    await shared.tighten({ requests: { remaining: 0, resetAt: clock() + 30_000 }, tokens: {} });
    const after = Date.now();
    const { resetAt, observedAt } = state().provider?.requests ?? { resetAt: 0, observedAt: 0 };
    expect([resetAt >= before + 30_000, resetAt <= after + 30_000, observedAt >= before, observedAt <= after]).toEqual([true, true, true, true]);
    const controller = new AbortController();
    const statuses: WaitStatus[] = [];
    const waiting = shared.acquire({ signal: controller.signal, onWait: (status) => (statuses.push(status), controller.abort()) });
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    expect(statuses[0]).toMatchObject({ reason: 'provider-requests', inFlight: 0, maxConcurrentRequests: 5 });
    expect([statuses[0].remainingMs! > 0, statuses[0].remainingMs! <= 30_000]).toEqual([true, true]);
    expect(state().waiters).toEqual([]);
  });

  it('touches no shared state for feedback without a remaining count and a reset', async () => {
    await limiter().tighten({ requests: { remaining: 5 }, tokens: { limit: 10, resetAt: Date.now() + 1_000 } });
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
  });

  it("pauses on this machine's clock moved onto the store's, and never shortens a pause", async () => {
    const clock = () => Date.now() - 3_600_000; // this machine is an hour behind the store
    const shared = limiter({}, { clock });
    const before = Date.now();
    await shared.pauseUntil(clock() + 30_000);
    const after = Date.now();
    const paused = state().pausedUntil;
    expect([paused >= before + 30_000, paused <= after + 30_000]).toEqual([true, true]);
    await shared.pauseUntil(clock() + 1_000);
    expect(state().pausedUntil).toBe(paused);
  });

  it('refuses to wait out a shared pause longer than maxPauseMs, sending nothing, and waits out a shorter one', async () => {
    const shared = limiter();
    await shared.pauseUntil(Date.now() + 60_000);
    const error = (await shared.acquire({ maxPauseMs: 1_000 }).catch((caught: unknown) => caught)) as SharedPauseTooLongError;
    expect(error).toBeInstanceOf(SharedPauseTooLongError);
    expect([error.maxRetryAfterMs, error.pauseMs > 1_000, error.pauseMs <= 60_000]).toEqual([1_000, true, true]);
    expect([state().leases, state().waiters, state().starts]).toEqual([[], [], []]);
    const controller = new AbortController();
    const statuses: WaitStatus[] = [];
    const waiting = shared.acquire({ maxPauseMs: 120_000, signal: controller.signal, onWait: (status) => (statuses.push(status), controller.abort()) });
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    expect(statuses[0]).toMatchObject({ reason: 'paused', inFlight: 0, maxConcurrentRequests: 1 });
    expect([statuses[0].remainingMs! > 0, statuses[0].remainingMs! <= 60_000]).toEqual([true, true]);
  });
});

/** The limiter's shared state in memory, on a clock that stands still at `now`: a store as `LimiterStateStore` allows. */
function stillStore(now: number, setUp: (state: LimiterState) => void): LimiterStateStore {
  const state = emptyState();
  setUp(state);
  return { update: async (change) => change(state, now) };
}

/** The order of a blocked acquire's second poll against a timer started at its first: proves a sleep's length by timer order. */
async function secondPollAgainst(timerMs: number, limiter: CrossProcessRateLimiter): Promise<string[]> {
  const order: string[] = [];
  const controller = new AbortController();
  let polls = 0;
  const waiting = limiter.acquire({
    signal: controller.signal,
    onWait: () => {
      polls++;
      if (polls === 1) setTimeout(() => order.push(`timer ${timerMs} ms`), timerMs);
      if (polls === 2) (order.push('second poll'), controller.abort());
    },
  });
  await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
  return order;
}

describe('CrossProcessRateLimiter on a store whose clock stands still', () => {
  const limits = { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 0 };
  const paused = (pauseMs: number) => stillStore(10_000, (state) => (state.pausedUntil = 10_000 + pauseMs));
  const busy = () => stillStore(10_000, (state) => state.leases.push({ id: 'other', pid: process.pid, host: 'h', startedAt: 0, expiresAt: Infinity }));

  it('keeps the starts of the whole window and its guard when pruning, so they still count', async () => {
    const store = stillStore(100_000, (state) => state.starts.push({ id: 'old', at: 100_000 - 60_100, tokens: 0 })); // 60.1 s old
    const limiter = new CrossProcessRateLimiter({ store, limits: { ...limits, requestsPerMinute: 1 } });
    const controller = new AbortController();
    const statuses: WaitStatus[] = [];
    const waiting = limiter.acquire({ signal: controller.signal, onWait: (status) => (statuses.push(status), controller.abort()) });
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    expect(statuses).toEqual([{ reason: 'requests-per-minute', remainingMs: 150, inFlight: 0, maxConcurrentRequests: 1 }]);
  });

  it('waits out a shared pause of exactly maxPauseMs', async () => {
    const limiter = new CrossProcessRateLimiter({ store: paused(1_000), limits });
    const controller = new AbortController();
    const statuses: WaitStatus[] = [];
    const waiting = limiter.acquire({ maxPauseMs: 1_000, signal: controller.signal, onWait: (status) => (statuses.push(status), controller.abort()) });
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    expect(statuses).toEqual([{ reason: 'paused', remainingMs: 1_000, inFlight: 0, maxConcurrentRequests: 1 }]);
  });

  it('sleeps up to 250 ms between polls while the end of a wait is known', async () => {
    expect(await secondPollAgainst(200, new CrossProcessRateLimiter({ store: paused(60_000), limits }))).toEqual(['timer 200 ms', 'second poll']);
  });

  it('polls every pollMs to twice that while the end of a wait is unknown (a slot held)', async () => {
    expect(await secondPollAgainst(200, new CrossProcessRateLimiter({ store: busy(), limits, pollMs: 200 }))).toEqual(['timer 200 ms', 'second poll']);
    expect(await secondPollAgainst(400, new CrossProcessRateLimiter({ store: busy(), limits, pollMs: 100 }))).toEqual(['second poll']);
  });
});

describe('rateLimitStateDir', () => {
  const saved = process.env.NX_WORKSPACE_DATA_DIRECTORY;
  afterEach(() => {
    if (saved === undefined) delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
    else process.env.NX_WORKSPACE_DATA_DIRECTORY = saved;
  });

  it('lives under the Nx workspace data folder, one folder per baseURL+model', () => {
    delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
    const a = rateLimitStateDir('/ws', 'https://api.openai.com/v1', 'gpt-4.1-mini');
    expect(a).toMatch(/^\/ws\/\.nx\/workspace-data\/nx-phases\/rate-limit\/[0-9a-f]{16}$/);
    expect(rateLimitStateDir('/ws', 'https://api.openai.com/v1', 'gpt-4.1')).not.toBe(a);
    expect(rateLimitStateDir('/ws', 'http://localhost:11434/v1', 'gpt-4.1-mini')).not.toBe(a);
  });

  it('honours NX_WORKSPACE_DATA_DIRECTORY, relative to the workspace root', () => {
    process.env.NX_WORKSPACE_DATA_DIRECTORY = 'custom/data';
    expect(rateLimitStateDir('/ws', 'u', 'm')).toMatch(/^\/ws\/custom\/data\/nx-phases\/rate-limit\//);
    process.env.NX_WORKSPACE_DATA_DIRECTORY = '/abs/data';
    expect(rateLimitStateDir('/ws', 'u', 'm')).toMatch(/^\/abs\/data\/nx-phases\/rate-limit\//);
  });
});
