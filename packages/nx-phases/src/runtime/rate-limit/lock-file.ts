import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { currentHolder, Holder, isHolderDead } from './process-alive';
import { sleep } from './sleep';

/** Tuning for `withFileLock`. */
export interface FileLockOptions {
  /** Give up after this long (default 30000 ms). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its holder looks alive (default 5000 ms). */
  staleMs?: number;
  signal?: AbortSignal;
}

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

async function acquireLock(lockPath: string, options: FileLockOptions): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const content = JSON.stringify({ ...currentHolder(), token } satisfies LockContent);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (tryCreate(lockPath, content)) return token;
    const observed = readRaw(lockPath);
    if (observed !== undefined && isStale(lockPath, observed, options.staleMs ?? 5_000)) {
      takeOver(lockPath, observed);
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(lockPath, observed);
    await sleep(1 + Math.random() * 4, options.signal);
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

function isStale(lockPath: string, raw: string, staleMs: number): boolean {
  const holder = parseLock(raw);
  if (holder && isHolderDead(holder)) return true;
  try {
    return Date.now() - statSync(lockPath).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

/**
 * Move the stale lock aside atomically, then check that what was moved is the lock judged stale.
 * If another process replaced it in between, put that live lock back.
 */
function takeOver(lockPath: string, observed: string): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else took it over first
  }
  if (readRaw(aside) !== observed) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // a new lock already exists; the moved one was released meanwhile or is superseded
    }
  }
  unlinkQuietly(aside);
}

function releaseLock(lockPath: string, token: string): void {
  if (parseLock(readRaw(lockPath) ?? '')?.token === token) unlinkQuietly(lockPath);
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
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
