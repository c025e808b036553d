import { AsyncLocalStorage } from 'node:async_hooks';

const controller = new AbortController();
/** The cancellation of the phase whose async context this is, when it has its own (a phase of a batch). */
const phaseCancellation = new AsyncLocalStorage<AbortSignal>();
let installed = false;
let running = 0;

/** Seconds a cancelled phase gets to stop its generator before the process exits anyway. */
const GRACE_MS = 5000;

/**
 * Aborted when Nx (or a user) sends SIGTERM/SIGINT/SIGHUP, or `cancelPhases` is called. Generators get this
 * signal; the executor checks it before committing, and the process exits after a short grace period either way.
 * The commit checks it once its files are staged and is synchronous from its first rename on, so a signal can never interrupt it halfway.
 */
export function cancellationSignal(): AbortSignal {
  if (!installed) {
    installed = true;
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
      process.once(signal, () => cancelPhases(`The phase was cancelled (${signal}); nothing was committed.`, code));
    }
  }
  const own = phaseCancellation.getStore();
  return own ? AbortSignal.any([controller.signal, own]) : controller.signal;
}

/**
 * Runs one phase's work with a cancellation of its own besides the process's: once `signal` aborts (a batch phase
 * whose error escaped), `cancellationSignal` and `throwIfCancelled` inside that work act as on SIGTERM, for that
 * phase alone: its generator is asked to stop and it commits nothing.
 */
export function withPhaseCancellation<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return phaseCancellation.run(signal, work);
}

/**
 * Cancels every phase of this process as a signal does: generators are stopped, nothing more commits, and the process
 * exits with `exitCode` after the grace period, or at once when no phase is running (an idle batch worker that Nx
 * stops at the end of a run must not hold the run for the grace period).
 */
export function cancelPhases(reason: string, exitCode: number): void {
  if (controller.signal.aborted) return;
  controller.abort(new Error(reason));
  if (running === 0) {
    setImmediate(() => process.exit(exitCode));
    return;
  }
  setTimeout(() => process.exit(exitCode), GRACE_MS).unref();
}

/** Runs one phase's work, counted as running while it does (see `cancelPhases`). */
export async function countedAsRunning<T>(work: () => Promise<T>): Promise<T> {
  running++;
  try {
    return await work();
  } finally {
    running--;
  }
}

/** Throws the cancellation reason if the phase was cancelled. */
export function throwIfCancelled(): void {
  if (controller.signal.aborted) throw controller.signal.reason;
  const own = phaseCancellation.getStore();
  if (own?.aborted) throw own.reason;
}
