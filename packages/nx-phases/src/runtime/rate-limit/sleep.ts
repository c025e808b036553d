/** Resolve after `ms` milliseconds; reject with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wait `ms` milliseconds, calling `onTick(remainingMs)` at the start and about every `tickMs`. */
export async function countdown(
  ms: number,
  onTick: (remainingMs: number) => void,
  signal?: AbortSignal,
  tickMs = 100,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (let remaining = ms; remaining > 0; remaining = deadline - Date.now()) {
    onTick(remaining);
    await sleep(Math.min(remaining, tickMs), signal);
  }
}

/** "3.2 s" — one decimal, for countdowns in progress titles. */
export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** Thrown when a wait is cancelled through its AbortSignal. */
export class WaitAbortedError extends Error {
  constructor(reason: unknown) {
    super(`Cancelled while waiting${reason instanceof Error ? `: ${reason.message}` : ''}.`);
    this.name = 'WaitAbortedError';
  }
}

function abortError(signal: AbortSignal): WaitAbortedError {
  return new WaitAbortedError(signal.reason);
}
