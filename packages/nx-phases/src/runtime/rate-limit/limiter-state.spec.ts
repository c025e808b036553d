import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseLock, tryAcquireLock } from './lock-file';
import { WaitAbortedError } from './sleep';
import { emptyState, leaveQueue, LimiterState, parseLimiterState, pruneState, queuePosition, updateLimiterState } from './limiter-state';

const holder = { pid: 10, host: 'h' };
/** A fresh state, written out: no lease, waiter or start, no pause (not `emptyState()`, which is under test). */
const FRESH: LimiterState = { version: 1, leases: [], waiters: [], starts: [], lastStartAt: 0, pausedUntil: 0 };
const alive = () => false;

describe('pruneState', () => {
  it('drops a lease at its expiry time and keeps one a millisecond before', () => {
    const state = emptyState();
    state.leases = [
      { id: 'expired', ...holder, startedAt: 0, expiresAt: 5_000 },
      { id: 'live', ...holder, startedAt: 0, expiresAt: 5_001 },
    ];
    pruneState(state, 5_000, 60_000, alive);
    expect(state.leases.map((lease) => lease.id)).toEqual(['live']);
  });

  it('drops a waiter silent for 5 s and keeps one seen a millisecond later', () => {
    const state = emptyState();
    state.waiters = [
      { id: 'silent', ...holder, seenAt: 5_000 },
      { id: 'polling', ...holder, seenAt: 5_001 },
    ];
    pruneState(state, 10_000, 60_000, alive);
    expect(state.waiters.map((waiter) => waiter.id)).toEqual(['polling']);
  });

  it('drops the leases and waiters of dead holders at once, and only theirs', () => {
    const state = emptyState();
    state.leases = [
      { id: 'dead-lease', pid: 66, host: 'h', startedAt: 0, expiresAt: 99_000 },
      { id: 'live-lease', ...holder, startedAt: 0, expiresAt: 99_000 },
    ];
    state.waiters = [
      { id: 'dead-waiter', pid: 66, host: 'h', seenAt: 9_000 },
      { id: 'live-waiter', ...holder, seenAt: 9_000 },
    ];
    pruneState(state, 10_000, 60_000, (who) => who.pid === 66);
    expect([state.leases.map((lease) => lease.id), state.waiters.map((waiter) => waiter.id)]).toEqual([['live-lease'], ['live-waiter']]);
  });

  it('drops a start exactly keepMs old and keeps one a millisecond younger', () => {
    const state = emptyState();
    state.starts = [
      { id: 'old', at: 4_000, tokens: 1 },
      { id: 'young', at: 4_001, tokens: 1 },
    ];
    pruneState(state, 64_000, 60_000, alive);
    expect(state.starts.map((start) => start.id)).toEqual(['young']);
  });
});

describe('the waiting queue', () => {
  it('appends a new waiter and tells how many are ahead; a known one keeps its place and gets its time refreshed', () => {
    const state = emptyState();
    expect(queuePosition(state, { id: 'a', ...holder, seenAt: 1 })).toBe(0);
    expect(queuePosition(state, { id: 'b', ...holder, seenAt: 2 })).toBe(1);
    expect(queuePosition(state, { id: 'c', ...holder, seenAt: 3 })).toBe(2);
    expect(queuePosition(state, { id: 'b', ...holder, seenAt: 9 })).toBe(1);
    expect(queuePosition(state, { id: 'a', ...holder, seenAt: 8 })).toBe(0);
    expect(state.waiters.map((waiter) => [waiter.id, waiter.seenAt])).toEqual([
      ['a', 8],
      ['b', 9],
      ['c', 3],
    ]);
    leaveQueue(state, 'b');
    expect(state.waiters.map((waiter) => waiter.id)).toEqual(['a', 'c']);
  });
});

describe('parseLimiterState (untrusted text)', () => {
  const lease = { id: 'l', pid: 1, host: 'h', startedAt: 1, expiresAt: 2 };
  const waiter = { id: 'w', pid: 1, host: 'h', seenAt: 1 };
  const start = { id: 's', at: 1, tokens: 3 };
  const valid = { version: 1, leases: [lease], waiters: [waiter], starts: [start], lastStartAt: 7, pausedUntil: 8 };
  const parse = (value: unknown) => parseLimiterState(JSON.stringify(value));

  it('reads a valid state as written', () => {
    const provider = { requests: { remaining: 1, resetAt: 2, observedAt: 3 } };
    expect(parse({ ...valid, provider })).toEqual({ ...valid, provider });
  });

  it.each([
    ['no text', undefined],
    ['not JSON', '{'],
    ['null', 'null'],
    ['a list', '[]'],
    ['version 2', JSON.stringify({ ...valid, version: 2 })],
    ['leases that are not a list', JSON.stringify({ ...valid, leases: {} })],
    ['starts that are not a list', JSON.stringify({ ...valid, starts: 'x' })],
  ])('gives a fresh state for %s', (_label, text) => {
    expect(parseLimiterState(text)).toStrictEqual(FRESH);
  });

  it('drops entries whose fields are not the right types, keeping the rest', () => {
    const state = parse({
      ...valid,
      leases: [lease, { ...lease, id: 5 }, { ...lease, startedAt: '1' }, { ...lease, expiresAt: null }, { ...lease, pid: 1.5 }, { ...lease, host: 7 }, null, 'x'],
      waiters: [waiter, { ...waiter, seenAt: '1' }, { ...waiter, pid: '1' }, { ...waiter, host: null }, { ...waiter, id: null }],
      starts: [start, { ...start, at: '1' }, { ...start, tokens: null }, { ...start, id: 1 }, 7],
    });
    expect([state.leases, state.waiters, state.starts]).toEqual([[lease], [waiter], [start]]);
  });

  it('reads missing waiters as none, and times that are not numbers as 0', () => {
    expect(parse({ ...valid, waiters: 'x', lastStartAt: '5', pausedUntil: null })).toEqual({ ...valid, waiters: [], lastStartAt: 0, pausedUntil: 0, provider: undefined });
  });

  it('drops provider limits that are not all numbers (null ones too), keeping the rest of the state', () => {
    const good = { remaining: 1, resetAt: 2, observedAt: 3 };
    for (const provider of [null, 'x', { requests: { ...good, remaining: '1' } }, { tokens: { ...good, observedAt: null } }, { requests: null }, { tokens: 5 }]) {
      expect([provider, parse({ ...valid, provider })]).toEqual([provider, { ...valid, provider: undefined }]);
    }
    expect(parse({ ...valid, provider: { tokens: good } }).provider).toEqual({ tokens: good });
  });
});

describe('updateLimiterState (real files)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-phases-limiter-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the folder, starts from a fresh state, writes the changed state and returns the change\'s result', async () => {
    const stateDir = join(dir, 'a', 'b');
    const seen: LimiterState[] = [];
    const result = await updateLimiterState(stateDir, (state, now) => {
      seen.push(structuredClone(state));
      state.pausedUntil = now + 1;
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toStrictEqual([FRESH]);
    const written = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
    expect(written).toStrictEqual({ ...FRESH, pausedUntil: expect.any(Number) });
    expect(existsSync(join(stateDir, 'state.lock'))).toBe(false);
  });

  it('starts from a fresh state when state.json is not a state', async () => {
    writeFileSync(join(dir, 'state.json'), 'not json');
    const seen = await updateLimiterState(dir, (state) => structuredClone(state));
    expect(seen).toStrictEqual(FRESH);
  });

  it('stops waiting for a busy state lock when its signal aborts, changing nothing', async () => {
    const token = tryAcquireLock(join(dir, 'state.lock')) as string; // held by this live process
    const controller = new AbortController();
    const changes: number[] = [];
    const waiting = updateLimiterState(dir, (_state, now) => void changes.push(now), controller.signal);
    controller.abort(new Error('phase cancelled'));
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    releaseLock(join(dir, 'state.lock'), token);
    expect([changes, existsSync(join(dir, 'state.json'))]).toEqual([[], false]);
  });
});
