const controller = new AbortController();
let installed = false;

/** Seconds a cancelled phase gets to stop its generator before the process exits anyway. */
const GRACE_MS = 5000;

/**
 * Aborted when Nx (or a user) sends SIGTERM/SIGINT/SIGHUP. Generators get this signal; the executor
 * checks it before committing, and the process exits after a short grace period either way.
 * The commit checks it once its files are staged and is synchronous from its first rename on, so a signal can never interrupt it halfway.
 */
export function cancellationSignal(): AbortSignal {
  if (!installed) {
    installed = true;
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
      process.once(signal, () => {
        controller.abort(new Error(`The phase was cancelled (${signal}); nothing was committed.`));
        setTimeout(() => process.exit(code), GRACE_MS).unref();
      });
    }
  }
  return controller.signal;
}

/** Throws the cancellation reason if the phase was cancelled. */
export function throwIfCancelled(): void {
  if (controller.signal.aborted) throw controller.signal.reason;
}
