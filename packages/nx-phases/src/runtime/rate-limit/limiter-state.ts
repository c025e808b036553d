import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../atomic-commit';
import { Holder, isHolderDead } from './process-alive';
import { withFileLock } from './lock-file';
import { oldestProviderObservation, type ProviderLimits } from './provider-window';

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

/** A request waiting for a slot; only the oldest live waiter may take one (first come, first served). */
export interface Waiter extends Holder {
  id: string;
  /** Last time its holder polled; a waiter silent for `WAITER_STALE_MS` loses its place. */
  seenAt: number;
}

/** A waiter that has not polled for this long is dropped from the queue. */
const WAITER_STALE_MS = 5_000;

/** The shared JSON state of one limiter (one baseURL+model), in `state.json`. */
export interface LimiterState {
  version: 1;
  leases: Lease[];
  /** Requests waiting for a slot, in arrival order. */
  waiters: Waiter[];
  /** Starts still inside the window, oldest first. */
  starts: StartRecord[];
  /** Latest start; moved to the send time when a holder reports it. */
  lastStartAt: number;
  /** No new request may start before this time (set from a server's Retry-After). */
  pausedUntil: number;
  /** What the provider's rate-limit headers last said (see `tightenProviderLimits`); absent = unknown. */
  provider?: ProviderLimits;
}

/** A fresh, empty state. */
export function emptyState(): LimiterState {
  return { version: 1, leases: [], waiters: [], starts: [], lastStartAt: 0, pausedUntil: 0 };
}

/** Drop expired leases, silent waiters, leases and waiters of provably dead holders, and starts older than `keepMs`. */
export function pruneState(state: LimiterState, now: number, keepMs: number, isDead = isHolderDead): void {
  state.leases = state.leases.filter((lease) => lease.expiresAt > now && !isDead(lease));
  state.waiters = state.waiters.filter((waiter) => waiter.seenAt > now - WAITER_STALE_MS && !isDead(waiter));
  const providerFrom = oldestProviderObservation(state, now) ?? Infinity;
  state.starts = state.starts.filter((start) => start.at > now - keepMs || start.at >= providerFrom);
}

/** Join the queue (or refresh the place held) and return how many waiters are ahead. */
export function queuePosition(state: LimiterState, waiter: Waiter): number {
  const index = state.waiters.findIndex((candidate) => candidate.id === waiter.id);
  if (index >= 0) {
    state.waiters[index].seenAt = waiter.seenAt;
    return index;
  }
  state.waiters.push(waiter);
  return state.waiters.length - 1;
}

/** Leave the queue (when granted or cancelled). */
export function leaveQueue(state: LimiterState, id: string): void {
  state.waiters = state.waiters.filter((waiter) => waiter.id !== id);
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
      writeFileAtomically(statePath, JSON.stringify(state));
      return result;
    },
    { signal },
  );
}

function readState(path: string): LimiterState {
  try {
    return parseLimiterState(readFileSync(path, 'utf8'));
  } catch {
    return emptyState();
  }
}

/**
 * A limiter state from its JSON text (a file, or a shared store's value: untrusted). Anything that is not a version-1
 * state gives a fresh state; leases, waiters and starts whose fields are not the right types are dropped.
 */
export function parseLimiterState(text: string | null | undefined): LimiterState {
  try {
    const value = JSON.parse(text ?? '') as LimiterState;
    if (value?.version !== 1 || !Array.isArray(value.leases) || !Array.isArray(value.starts)) return emptyState();
    return {
      ...value,
      leases: value.leases.filter((lease) => isEntry(lease, ['startedAt', 'expiresAt']) && isHolderShape(lease)),
      waiters: Array.isArray(value.waiters) ? value.waiters.filter((waiter) => isEntry(waiter, ['seenAt']) && isHolderShape(waiter)) : [],
      starts: value.starts.filter((start) => isEntry(start, ['at', 'tokens'])),
      lastStartAt: Number.isFinite(value.lastStartAt) ? value.lastStartAt : 0,
      pausedUntil: Number.isFinite(value.pausedUntil) ? value.pausedUntil : 0,
      provider: validProviderLimits(value.provider),
    };
  } catch {
    return emptyState();
  }
}

function isEntry(value: unknown, numbers: string[]): boolean {
  const entry = value as Record<string, unknown>;
  return typeof value === 'object' && value !== null && typeof entry.id === 'string' && numbers.every((key) => Number.isFinite(entry[key]));
}

function isHolderShape(value: Holder): boolean {
  return Number.isInteger(value.pid) && typeof value.host === 'string';
}

/** The provider limits of a state file, or undefined when absent or not numbers (the file may have been edited). */
function validProviderLimits(value: unknown): ProviderLimits | undefined {
  const limits = value as ProviderLimits | undefined;
  const valid = (limit: unknown) =>
    limit === undefined ||
    (typeof limit === 'object' && limit !== null && ['remaining', 'resetAt', 'observedAt'].every((key) => Number.isFinite((limit as Record<string, unknown>)[key])));
  return typeof limits === 'object' && limits !== null && valid(limits.requests) && valid(limits.tokens) ? limits : undefined;
}
