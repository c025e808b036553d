import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256 } from '../hash';
import { PhaseProgress } from '../progress';
import { acquireLock, releaseLock, renewLock, tryAcquireLock, type FileLockOptions, type StaleReason } from '../rate-limit/lock-file';
import type { Holder } from '../rate-limit/process-alive';
import { formatSeconds } from '../rate-limit/sleep';
import { workspaceDataPath } from '../workspace-data';

/** How often a claim's holder touches its lock file. */
const HEARTBEAT_MS = 5_000;
/**
 * A claim whose lock file was not touched for this long is taken over even if its pid looks alive (a recycled
 * pid, or a holder on another host sharing the folder). A holder on this host that died is noticed at once.
 */
const STALE_MS = 60_000;
/** Pause between checks while another process holds the claim. */
const POLL_MS = 100;

/** The phase this process is about to run. */
export interface ClaimRequest {
  workspaceRoot: string;
  /** Workspace-relative path of the plan file. */
  planFile: string;
  phaseNumber: number;
  signal?: AbortSignal;
}

/** A held claim on one phase; release it once the phase has committed or failed. */
export interface PhaseClaim {
  release(): void;
}

/** `<workspace data>/nx-phases/single-flight/<sha256(plan file)[0..16]>-<phase number>.lock`. */
export function phaseLockPath(workspaceRoot: string, planFile: string, phaseNumber: number): string {
  return workspaceDataPath(workspaceRoot, 'single-flight', `${sha256(planFile).slice(0, 16)}-${phaseNumber}.lock`);
}

/**
 * Single flight: claims the phase so that no other process on this machine generates or commits it at the same
 * time. When another process holds it, shows a progress step and waits until it is released (that process
 * committed or failed; the caller then reuses a matching committed result) or until its holder is provably dead
 * (same host, pid gone: noticed within one poll) or silent for a minute. The claim renews itself until released.
 */
export async function claimPhase(request: ClaimRequest): Promise<PhaseClaim> {
  const lockPath = phaseLockPath(request.workspaceRoot, request.planFile, request.phaseNumber);
  mkdirSync(dirname(lockPath), { recursive: true });
  let tookOver: TakeOver | undefined;
  const claimed = tryAcquireLock(lockPath, { staleMs: STALE_MS, onTakeOver: (holder, reason) => (tookOver = { holder, reason }) });
  if (claimed && tookOver) await reportTakeOver(tookOver);
  const token = claimed ?? (await waitForClaim(lockPath, request));
  const heartbeat = setInterval(() => renewLock(lockPath, token), HEARTBEAT_MS);
  heartbeat.unref();
  return {
    release: () => {
      clearInterval(heartbeat);
      releaseLock(lockPath, token);
    },
  };
}

async function waitForClaim(lockPath: string, request: ClaimRequest): Promise<string> {
  let token = '';
  await new PhaseProgress()
    .add('Waiting for another process running this phase', async (title) => {
      const started = Date.now();
      let holder: Holder | undefined;
      let tookOver: TakeOver | undefined;
      const options: FileLockOptions = {
        timeoutMs: Infinity,
        staleMs: STALE_MS,
        pollMs: POLL_MS,
        signal: request.signal,
        onWait: (seen) => {
          holder = seen ?? holder;
          title(`Waiting for ${describeHolder(holder)}, which is running this phase (${formatSeconds(Date.now() - started)})`);
        },
        onTakeOver: (stale, reason) => (tookOver = { holder: stale, reason }),
      };
      token = await acquireLock(lockPath, options);
      const waited = formatSeconds(Date.now() - started);
      title(tookOver ? takeOverTitle(tookOver, waited) : `Waited ${waited} for ${describeHolder(holder)} to finish this phase`);
    })
    .run();
  return token;
}

/** A stale claim that was taken over, and why it was stale. */
interface TakeOver {
  holder: Holder | undefined;
  reason: StaleReason;
}

/** A claim left by a process that is gone, taken over at the first attempt: said once, as a progress step. */
async function reportTakeOver(takeOver: TakeOver): Promise<void> {
  await new PhaseProgress().add(takeOverTitle(takeOver, undefined), () => undefined).run();
}

function takeOverTitle({ holder, reason }: TakeOver, waited: string | undefined): string {
  const why = reason === 'holder-dead' ? 'which no longer exists' : `which had not renewed its claim for ${STALE_MS / 1000} s`;
  return `Took over the phase from ${describeHolder(holder)}, ${why}${waited ? ` (after ${waited})` : ''}`;
}

function describeHolder(holder: Holder | undefined): string {
  return holder ? `pid ${holder.pid}` : 'another process';
}
