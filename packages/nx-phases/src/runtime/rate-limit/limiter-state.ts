import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Holder, isHolderDead } from './process-alive';
import { withFileLock } from './lock-file';

/** One in-flight request's slot; renewed by its holder's heartbeat. */
export interface Lease extends Holder {
  id: string;
  startedAt: number;
  /** When the holder reported the request on the wire; unset while it is still being sent. */
  sentAt?: number;
  expiresAt: number;
}

/** One request start (its send time once known) inside the sliding window, with the tokens it reserved (or used). */
export interface StartRecord {
  id: string;
  at: number;
  tokens: number;
}

/** The shared JSON state of one limiter (one baseURL+model), in `state.json`. */
export interface LimiterState {
  version: 1;
  leases: Lease[];
  /** Starts still inside the window, oldest first. */
  starts: StartRecord[];
  /** Latest start; moved to the send time when a holder reports it. */
  lastStartAt: number;
  /** No new request may start before this time (set from a server's Retry-After). */
  pausedUntil: number;
}

/** A fresh, empty state. */
export function emptyState(): LimiterState {
  return { version: 1, leases: [], starts: [], lastStartAt: 0, pausedUntil: 0 };
}

/** Drop expired leases, leases of provably dead holders, and starts older than `keepMs`. */
export function pruneState(state: LimiterState, now: number, keepMs: number, isDead = isHolderDead): void {
  state.leases = state.leases.filter((lease) => lease.expiresAt > now && !isDead(lease));
  state.starts = state.starts.filter((start) => start.at > now - keepMs);
}

/**
 * Read-modify-write of `<dir>/state.json` under `<dir>/state.lock`. `change` gets the state and
 * the time taken after locking (so timestamps are ordered like the lock), and mutates the state.
 * The file is replaced atomically (temp file + rename), so a killed writer never leaves half a file.
 */
export async function updateLimiterState<T>(
  dir: string,
  change: (state: LimiterState, now: number) => T,
  signal?: AbortSignal,
): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const statePath = join(dir, 'state.json');
  return withFileLock(
    join(dir, 'state.lock'),
    () => {
      const state = readState(statePath);
      const result = change(state, Date.now());
      const temp = `${statePath}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(state));
      renameSync(temp, statePath);
      return result;
    },
    { signal },
  );
}

function readState(path: string): LimiterState {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as LimiterState;
    return value?.version === 1 && Array.isArray(value.leases) && Array.isArray(value.starts) ? value : emptyState();
  } catch {
    return emptyState();
  }
}
