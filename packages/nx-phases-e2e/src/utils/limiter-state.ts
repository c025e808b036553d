import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One lease or waiter in the limiter's shared state (the fields the e2e tests look at). */
export interface LimiterHolder {
  id: string;
  pid: number;
  sentAt?: number;
}

/** The parts of `state.json` the e2e tests read. */
export interface LimiterStateFile {
  leases: LimiterHolder[];
  waiters: LimiterHolder[];
  starts: Array<{ id: string; at: number }>;
  pausedUntil: number;
}

/** The folder holding one state folder per endpoint: `<workspace>/.nx/workspace-data/nx-phases/rate-limit`. */
export function limiterRoot(workspaceRoot: string): string {
  return join(workspaceRoot, '.nx', 'workspace-data', 'nx-phases', 'rate-limit');
}

/** Every endpoint's limiter state in a workspace (none before the first openai request); unreadable files are skipped. */
export function readLimiterStates(workspaceRoot: string): LimiterStateFile[] {
  const root = limiterRoot(workspaceRoot);
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((endpoint) => {
    try {
      return [JSON.parse(readFileSync(join(root, endpoint, 'state.json'), 'utf8')) as LimiterStateFile];
    } catch {
      return [];
    }
  });
}

/** The send times the limiter recorded, per request id, gathered while a run goes on. */
export interface LimiterRecorder {
  /** Stops watching and returns every recorded start time, sorted (the limiter's clock, not a receiver's). */
  stop(): number[];
}

/**
 * Watches the limiter state of a workspace during a run and keeps every start record it sees, with its latest
 * time (a start moves to the request's send time when its holder reports it). The limiter keeps a start for its
 * window (60 s), so a poll every 50 ms sees each one; what the tests check is what the limiter decided on.
 */
export function recordLimiterStarts(workspaceRoot: string): LimiterRecorder {
  const seen = new Map<string, number>();
  const poll = () => {
    for (const state of readLimiterStates(workspaceRoot)) {
      for (const start of state.starts ?? []) seen.set(start.id, Math.max(seen.get(start.id) ?? 0, start.at));
    }
  };
  const timer = setInterval(poll, 50);
  return {
    stop: () => {
      clearInterval(timer);
      poll();
      return [...seen.values()].sort((a, b) => a - b);
    },
  };
}

/** Smallest gap between consecutive start times, and the most starts in any window `[t, t + windowMs)`. */
export function analyseStarts(starts: number[], windowMs = 60_000): { minGapMs: number; maxInWindow: number } {
  const gaps = starts.slice(1).map((at, i) => at - starts[i]);
  let maxInWindow = 0;
  for (let first = 0, last = 0; first < starts.length; first++) {
    while (last < starts.length && starts[last] < starts[first] + windowMs) last++;
    maxInWindow = Math.max(maxInWindow, last - first);
  }
  return { minGapMs: gaps.length ? Math.min(...gaps) : Infinity, maxInWindow };
}
