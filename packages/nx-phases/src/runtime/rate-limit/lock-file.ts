import { closeSync, linkSync, openSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { currentHolder, Holder, isHolderDead } from './process-alive';
import { sleep } from './sleep';
import { readTextIfPresent } from '../read-text';

/** Tuning for `withFileLock`. */
export interface FileLockOptions {
  /** Give up after this long (default 30000 ms). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its holder looks alive (default 5000 ms). */
  staleMs?: number;
  signal?: AbortSignal;
  /** Pause between attempts while the lock is busy (default 1–5 ms, for short critical sections). */
  pollMs?: number;
  /** Called on every busy attempt with the holder the lock file names (undefined while unreadable). */
  onWait?(holder: Holder | undefined): void;
  /** Called when a stale lock is taken over: its holder is provably dead, or it was older than `staleMs`. */
  onTakeOver?(holder: Holder | undefined, reason: StaleReason): void;
}

/** Why a lock was judged stale. */
export type StaleReason = 'holder-dead' | 'expired';

interface LockContent extends Holder {
  token: string;
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
 * dead, or whose file is older than `staleMs`, is taken over; `timeoutMs` may be Infinity.
 */
export async function acquireLock(lockPath: string, options: FileLockOptions): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const attempt = attemptLock(lockPath, options);
    if (attempt.token !== undefined) return attempt.token;
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, attempt.observed);
    options.onWait?.(parseLock(attempt.observed ?? ''));
    await sleep(options.pollMs === undefined ? 1 + Math.random() * 4 : options.pollMs * (0.5 + Math.random()), options.signal);
  }
}

/** One attempt that never waits: the token when the lock was free (or stale and taken over), else undefined. */
export function tryAcquireLock(lockPath: string, options: FileLockOptions = {}): string | undefined {
  return attemptLock(lockPath, options).token;
}

function attemptLock(lockPath: string, options: FileLockOptions): { token?: string; observed?: string } {
  const token = randomBytes(8).toString('hex');
  const content = JSON.stringify({ ...currentHolder(), token } satisfies LockContent);
  for (;;) {
    if (tryCreate(lockPath, content)) return { token };
    const observed = readTextIfPresent(lockPath);
    const stale = observed === undefined ? undefined : staleReason(lockPath, observed, options.staleMs ?? 5_000);
    if (observed === undefined || !stale) return { observed };
    if (takeOver(lockPath, observed)) options.onTakeOver?.(parseLock(observed), stale);
  }
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

function staleReason(lockPath: string, raw: string, staleMs: number): StaleReason | undefined {
  const holder = parseLock(raw);
  if (holder && isHolderDead(holder)) return 'holder-dead';
  try {
    return Date.now() - statSync(lockPath).mtimeMs > staleMs ? 'expired' : undefined;
  } catch {
    return undefined;
  }
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

/** Touches the lock (a heartbeat, so it never looks older than `staleMs`); false when it is no longer ours. */
export function renewLock(lockPath: string, token: string): boolean {
  if (parseLock(readTextIfPresent(lockPath) ?? '')?.token !== token) return false;
  try {
    const now = new Date();
    utimesSync(lockPath, now, now);
    return true;
  } catch {
    return false;
  }
}


function parseLock(raw: string): LockContent | undefined {
  try {
    const value = JSON.parse(raw) as LockContent;
    return typeof value?.token === 'string' ? value : undefined;
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
  constructor(lockPath: string, observed: string | undefined) {
    const holder = parseLock(observed ?? '');
    super(
      `Timed out waiting for the rate-limit lock ${lockPath}${holder ? ` (held by pid ${holder.pid} on ${holder.host})` : ''}. ` +
        `If no nx-phases task is running, delete that file and retry.`,
    );
    this.name = 'LockTimeoutError';
  }
}
