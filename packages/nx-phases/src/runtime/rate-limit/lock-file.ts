import { closeSync, ftruncateSync, futimesSync, linkSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { currentHolder, Holder, isHolderDead } from './process-alive';
import { sleep } from './sleep';
import { readTextIfPresent } from '../read-text';

/** Tuning for `withFileLock`. */
export interface FileLockOptions {
  /** Give up after this long (default 30000 ms). */
  timeoutMs?: number;
  /**
   * A lock whose content this waiter saw unchanged for this long, on its own monotonic clock, is stale even if its
   * holder looks alive (default 5000 ms). Holders renew with `renewLock`, which changes the content. File times are
   * never trusted: a clock ahead or behind, or a touched file, changes nothing.
   */
  staleMs?: number;
  signal?: AbortSignal;
  /** Pause between attempts while the lock is busy (default 1–5 ms, for short critical sections). */
  pollMs?: number;
  /**
   * Called on every busy attempt with the holder the lock file names (undefined while unreadable) and how long
   * this waiter has seen its content unchanged.
   */
  onWait?(holder: LockHolder | undefined, unchangedMs: number): void;
  /** Called when a stale lock is taken over: its holder is provably dead, or it was not renewed for `staleMs`. */
  onTakeOver?(holder: LockHolder | undefined, reason: StaleReason): void;
}

/** Why a lock was judged stale. */
export type StaleReason = 'holder-dead' | 'expired';

/** What a lock file says: its holder, when it was taken (holder's clock, for people) and its renewal count. */
export interface LockHolder extends Holder {
  token: string;
  /** ISO time the lock was taken, by the holder's clock: shown to people, never used to judge staleness. */
  since?: string;
  /** Renewal counter: `renewLock` increments it, which is what waiters watch. */
  beat?: number;
}

/** What one waiter saw of a lock: its raw content, since when (monotonic clock) it has not changed, and when it last looked. */
interface Observation {
  raw?: string;
  since: number;
  lastLook: number;
}

/**
 * Run `critical` while holding an exclusive lock file (created with O_EXCL). Keep `critical`
 * synchronous and short: the lock is for read-modify-write of a small file, never for waiting.
 * A lock whose holder is provably dead, or that is older than `staleMs`, is taken over.
 */
export async function withFileLock<T>(lockPath: string, critical: () => T, options: FileLockOptions = {}): Promise<T> {
  const token = await acquireLock(lockPath, options);
  try {
    return critical();
  } finally {
    releaseLock(lockPath, token);
  }
}

/**
 * Waits for the lock and returns its token (for `releaseLock` / `renewLock`). A lock whose holder is provably
 * dead, or whose content this waiter saw unchanged for `staleMs`, is taken over; `timeoutMs` may be Infinity.
 * Both are measured on this process's monotonic clock.
 */
export async function acquireLock(lockPath: string, options: FileLockOptions): Promise<string> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const seen: Observation = { since: started, lastLook: started };
  for (;;) {
    const attempt = attemptLock(lockPath, options, seen);
    if (attempt.token !== undefined) return attempt.token;
    const now = performance.now();
    if (now - started >= timeoutMs) throw new LockTimeoutError(lockPath, parseLock(attempt.observed ?? ''), now - started);
    options.onWait?.(parseLock(attempt.observed ?? ''), now - seen.since);
    // Polls stay well inside a quarter of the lease, the longest pause a waiter still counts as looking.
    const pollMs = Math.min(options.pollMs ?? 3, (options.staleMs ?? 5_000) / 8);
    await sleep(options.pollMs === undefined ? 1 + Math.random() * 4 : pollMs * (0.5 + Math.random()), options.signal);
  }
}

/**
 * One attempt that never waits: the token when the lock was free (or its holder provably dead, and taken over),
 * else undefined. A single look cannot tell whether a live holder renews, so only `acquireLock` expires leases.
 */
export function tryAcquireLock(lockPath: string, options: FileLockOptions = {}): string | undefined {
  return attemptLock(lockPath, options, undefined).token;
}

function attemptLock(lockPath: string, options: FileLockOptions, seen: Observation | undefined): { token?: string; observed?: string } {
  const token = randomBytes(8).toString('hex');
  const content = lockContent({ ...currentHolder(), token, since: new Date().toISOString(), beat: 0 });
  for (;;) {
    if (tryCreate(lockPath, content)) return { token };
    const observed = readTextIfPresent(lockPath);
    const stale = observed === undefined ? undefined : staleReason(observed, options.staleMs ?? 5_000, seen);
    if (observed === undefined || !stale) return { observed };
    if (takeOver(lockPath, observed)) options.onTakeOver?.(parseLock(observed), stale);
  }
}

/** The lock file's text; `beat` is padded so that a renewal rewrites the same number of bytes. */
function lockContent(holder: LockHolder): string {
  return JSON.stringify({ ...holder, beat: String(holder.beat ?? 0).padStart(12, '0') });
}

function tryCreate(lockPath: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Dead holder: stale at once. Otherwise stale only once this waiter has seen the same content for `staleMs` on its
 * own monotonic clock, counting only time it was looking (a renewal changes the content and restarts the count);
 * without observations, never.
 */
function staleReason(raw: string, staleMs: number, seen: Observation | undefined): StaleReason | undefined {
  const holder = parseLock(raw);
  if (holder && isHolderDead(holder)) return 'holder-dead';
  if (!seen) return undefined;
  const now = performance.now();
  const gap = now - seen.lastLook;
  seen.lastLook = now;
  // A waiter that was not looking for a while (itself suspended or starved of CPU) saw nothing: that time proves no
  // missed renewal, so it does not count towards the lease.
  if (gap > staleMs / 4) seen.since += gap;
  if (seen.raw !== raw) {
    seen.raw = raw;
    seen.since = now;
    return undefined;
  }
  return now - seen.since >= staleMs ? 'expired' : undefined;
}

/**
 * Move the stale lock aside atomically, then check that what was moved is the lock judged stale.
 * If another process replaced it in between, put that live lock back. True when the stale lock was removed.
 */
function takeOver(lockPath: string, observed: string): boolean {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return false; // someone else took it over first
  }
  const wasStale = readTextIfPresent(aside) === observed;
  if (!wasStale) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // a new lock already exists; the moved one was released meanwhile or is superseded
    }
  }
  unlinkQuietly(aside);
  return wasStale;
}

/** Removes the lock if it is still the one `token` acquired. */
export function releaseLock(lockPath: string, token: string): void {
  if (parseLock(readTextIfPresent(lockPath) ?? '')?.token === token) unlinkQuietly(lockPath);
}

/**
 * A heartbeat: increments the lock's renewal counter, which waiters watch, so it never looks stale to them.
 * Reads and rewrites through one file descriptor, so a lock moved aside by a waiter that took it over is never
 * confused with a new holder's lock. False when the lock is no longer ours.
 */
export function renewLock(lockPath: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'r+');
  } catch {
    return false;
  }
  try {
    const buffer = Buffer.alloc(4096);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const held = parseLock(buffer.subarray(0, length).toString('utf8'));
    if (held?.token !== token) return false;
    const renewed = Buffer.from(lockContent({ ...held, beat: Number(held.beat ?? 0) + 1 }));
    writeSync(fd, renewed, 0, renewed.length, 0);
    if (renewed.length !== length) ftruncateSync(fd, renewed.length);
    const now = new Date();
    futimesSync(fd, now, now); // for people listing the folder; waiters never read it
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** The holder a lock file names, or undefined when it is missing or unreadable. */
export function readLockHolder(lockPath: string): LockHolder | undefined {
  return parseLock(readTextIfPresent(lockPath) ?? '');
}

function parseLock(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as LockHolder & { beat?: unknown };
    if (typeof value?.token !== 'string') return undefined;
    const beat = Number(value.beat ?? 0);
    return { ...value, beat: Number.isSafeInteger(beat) && beat >= 0 ? beat : 0 };
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** The lock stayed busy for longer than `timeoutMs`. */
export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | undefined,
    readonly waitedMs: number,
  ) {
    super(
      `Timed out waiting for the rate-limit lock ${lockPath}${holder ? ` (held by pid ${holder.pid} on ${holder.host})` : ''}. ` +
        `If no nx-phases task is running, delete that file and retry.`,
    );
    this.name = 'LockTimeoutError';
  }
}
