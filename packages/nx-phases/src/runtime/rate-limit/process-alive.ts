import { hostname } from 'node:os';

/** Who holds a lock or a lease: enough to tell whether it is provably gone. */
export interface Holder {
  pid: number;
  host: string;
}

/** This process as a holder. */
export function currentHolder(): Holder {
  return { pid: process.pid, host: hostname() };
}

/**
 * True only when the holder provably no longer exists: same host and `kill(pid, 0)` reports ESRCH.
 * Holders on another host (a shared folder) are never declared dead; their leases expire instead.
 */
export function isHolderDead(holder: Holder): boolean {
  if (holder.host !== hostname() || !Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** True only when a process of this host provably no longer exists. */
export function isProcessDead(pid: number): boolean {
  return isHolderDead({ pid, host: hostname() });
}
