import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrossProcessRateLimiter, WaitStatus } from './limiter';
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
    const second = shared.acquire({ onWait });
    await queued;
    const releasedAt = (await first.release()) as number;
    const lease = await second;
    expect(lease.startedAt).toBeGreaterThanOrEqual(releasedAt);
    expect(lease.waitedMs).toBeGreaterThan(0);
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
