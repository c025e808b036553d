import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256 } from '../hash';
import { PhaseProgress } from '../progress';
import {
  acquireLock,
  LockTimeoutError,
  readLockHolder,
  releaseLock,
  renewLock,
  tryAcquireLock,
  type FileLockOptions,
  type LockHolder,
  type StaleReason,
} from '../rate-limit/lock-file';
import { formatSeconds } from '../rate-limit/sleep';
import { workspaceDataPath } from '../workspace-data';
import { ENV_SETTINGS, readNumberSetting } from '../env-settings';

/** The environment variable that bounds how long a phase waits for another process's claim, in seconds. */
export const CLAIM_WAIT_ENV = ENV_SETTINGS.claimWaitTimeout.name;

/** Timing of claims. The defaults suit real phases; tests shorten them so that expiry is seen in seconds. */
export interface ClaimTiming {
  /** How often a holder renews its claim (default 5 s). */
  heartbeatMs: number;
  /**
   * A claim its waiter sees unrenewed for this long (waiter's monotonic clock) is taken over even if its pid looks
   * alive: a hung or stopped holder, a recycled pid, a holder on another host (default 60 s). A holder on this host
   * that died is noticed at once.
   */
  leaseMs: number;
  /** Pause between checks while another process holds the claim (default 0.1 s). */
  pollMs: number;
  /** Give up waiting for a live, renewing holder after this long (default 30 min, or `NX_PHASES_CLAIM_WAIT_TIMEOUT` seconds). */
  maxWaitMs: number;
}

const DEFAULT_TIMING: Omit<ClaimTiming, 'maxWaitMs'> = { heartbeatMs: 5_000, leaseMs: 60_000, pollMs: 100 };
const DEFAULT_MAX_WAIT_S = 1_800;

/** The phase this process is about to run. */
export interface ClaimRequest {
  workspaceRoot: string;
  /** Workspace-relative path of the plan file. */
  planFile: string;
  phaseNumber: number;
  signal?: AbortSignal;
  /** Overrides of the default timing (tests). */
  timing?: Partial<ClaimTiming>;
}

/** A held claim on one phase; release it once the phase has committed or failed. */
export interface PhaseClaim {
  /**
   * Renews the claim now, or throws `ClaimLostError` when another process has taken it over (this one was stopped
   * or starved for a whole lease): call it just before committing, so a phase is never committed by two processes.
   */
  assertHeld(): void | Promise<void>;
  release(): void | Promise<void>;
}

/** `<workspace data>/nx-phases/single-flight/<sha256(plan file)[0..16]>-<phase number>.lock`. */
export function phaseLockPath(workspaceRoot: string, planFile: string, phaseNumber: number): string {
  return workspaceDataPath(workspaceRoot, 'single-flight', `${sha256(planFile).slice(0, 16)}-${phaseNumber}.lock`);
}

/** The claim timing: defaults, then `NX_PHASES_CLAIM_WAIT_TIMEOUT`, then the request's overrides. */
export function claimTiming(overrides: Partial<ClaimTiming> = {}, env: NodeJS.ProcessEnv = process.env): ClaimTiming {
  return { ...DEFAULT_TIMING, maxWaitMs: maxWaitFromEnv(env) * 1000, ...overrides };
}

function maxWaitFromEnv(env: NodeJS.ProcessEnv): number {
  return readNumberSetting(env, ENV_SETTINGS.claimWaitTimeout) ?? DEFAULT_MAX_WAIT_S;
}

/**
 * Single flight: claims the phase so that no other process on this machine generates or commits it at the same
 * time. When another process holds it, shows a progress step and waits until it is released (that process
 * committed or failed; the caller then reuses a matching committed result), until its holder is provably dead
 * (same host, pid gone: noticed within one poll), or until the claim goes unrenewed for a lease as this process
 * observes it. Waiting for a live holder ends with `ClaimWaitTimeoutError` after `maxWaitMs`. The claim renews
 * itself every `heartbeatMs` until released.
 */
export async function claimPhase(request: ClaimRequest): Promise<PhaseClaim> {
  const timing = claimTiming(request.timing);
  const lockPath = phaseLockPath(request.workspaceRoot, request.planFile, request.phaseNumber);
  mkdirSync(dirname(lockPath), { recursive: true });
  let tookOver: TakeOver | undefined;
  const claimed = tryAcquireLock(lockPath, { staleMs: timing.leaseMs, onTakeOver: (holder, reason) => (tookOver = { holder, reason }) });
  if (claimed && tookOver) await reportTakeOver(tookOver, timing);
  const token = claimed ?? (await waitForClaim(lockPath, request, timing));
  const heartbeat = setInterval(() => renewLock(lockPath, token), timing.heartbeatMs);
  heartbeat.unref();
  return {
    assertHeld: () => {
      if (!renewLock(lockPath, token)) throw new ClaimLostError(request, lockPath, readLockHolder(lockPath));
    },
    release: () => {
      clearInterval(heartbeat);
      releaseLock(lockPath, token);
    },
  };
}

async function waitForClaim(lockPath: string, request: ClaimRequest, timing: ClaimTiming): Promise<string> {
  let token = '';
  await new PhaseProgress()
    .add('Waiting for another process running this phase', async (title) => {
      const started = performance.now();
      let holder: LockHolder | undefined;
      let unchangedMs = 0;
      let tookOver: TakeOver | undefined;
      const options: FileLockOptions = {
        timeoutMs: timing.maxWaitMs,
        staleMs: timing.leaseMs,
        pollMs: timing.pollMs,
        signal: request.signal,
        onWait: (seen, unchanged) => {
          holder = seen ?? holder;
          unchangedMs = unchanged;
          title(`Waiting for ${describeHolder(holder)}, which is running this phase (${formatSeconds(performance.now() - started)})`);
        },
        onTakeOver: (stale, reason) => (tookOver = { holder: stale, reason }),
      };
      try {
        token = await acquireLock(lockPath, options);
      } catch (error) {
        if (error instanceof LockTimeoutError) throw new ClaimWaitTimeoutError(request, lockPath, error.holder ?? holder, error.waitedMs, unchangedMs);
        throw error;
      }
      const waited = formatSeconds(performance.now() - started);
      title(tookOver ? takeOverTitle(tookOver, timing, waited) : `Waited ${waited} for ${describeHolder(holder)} to finish this phase`);
    })
    .run();
  return token;
}

/** A stale claim that was taken over, and why it was stale. */
interface TakeOver {
  holder: LockHolder | undefined;
  reason: StaleReason;
}

/** A claim left by a process that is gone, taken over at the first attempt: said once, as a progress step. */
async function reportTakeOver(takeOver: TakeOver, timing: ClaimTiming): Promise<void> {
  await new PhaseProgress().add(takeOverTitle(takeOver, timing, undefined), () => undefined).run();
}

function takeOverTitle({ holder, reason }: TakeOver, timing: ClaimTiming, waited: string | undefined): string {
  const why = reason === 'holder-dead' ? 'which no longer exists' : `which had not renewed its claim for ${formatSeconds(timing.leaseMs)}`;
  return `Took over the phase from ${describeHolder(holder)}, ${why}${waited ? ` (after ${waited})` : ''}`;
}

function describeHolder(holder: LockHolder | undefined): string {
  return holder ? `pid ${holder.pid}` : 'another process';
}

/** Waited `maxWaitMs` for a holder that kept renewing its claim; says who holds it and what to do. */
export class ClaimWaitTimeoutError extends Error {
  constructor(request: ClaimRequest, lockPath: string, holder: LockHolder | undefined, waitedMs: number, unrenewedMs: number, removeHint = 'delete that file') {
    const who = holder
      ? `pid ${holder.pid} on host ${holder.host}${holder.since ? `, which has held it since ${holder.since}` : ''}`
      : 'another process';
    super(
      `Gave up after ${formatSeconds(waitedMs)} waiting for phase ${request.phaseNumber} of ${request.planFile}: it is claimed by ${who} ` +
        `and was last renewed ${formatSeconds(unrenewedMs)} ago (${lockPath}). ` +
        `Fix: if that process is still working, wait for it and run again, or allow a longer wait with ${CLAIM_WAIT_ENV}=<seconds>; ` +
        `if it is stuck, stop it${holder ? ` (kill ${holder.pid} on ${holder.host})` : ''}; if no nx-phases task is running anywhere, ${removeHint}.`,
    );
    this.name = 'ClaimWaitTimeoutError';
  }
}

/** Another process took over this process's claim (it saw no renewal for a lease): this one must not commit. */
export class ClaimLostError extends Error {
  constructor(request: ClaimRequest, lockPath: string, holder: LockHolder | undefined) {
    const who = holder ? `pid ${holder.pid} on host ${holder.host}` : 'another process';
    super(
      `Phase ${request.phaseNumber} of ${request.planFile} was taken over by ${who} while this process did not renew its claim ` +
        `(it was stopped, or too busy to renew for a whole lease), so this process committed nothing (${lockPath}). ` +
        `Fix: nothing to do if ${who} finishes the phase; if this machine is overloaded, run with a lower --parallel.`,
    );
    this.name = 'ClaimLostError';
  }
}
