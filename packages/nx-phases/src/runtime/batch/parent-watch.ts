import { cancelPhases } from '../cancellation';

/** How often the parent pid is checked (the IPC channel closing is noticed at once). */
const POLL_MS = 1000;
let watching = false;

/**
 * Ends this batch worker when the nx process that started it is gone: Nx 23.3's batch worker does not notice
 * itself, and an orphan would keep generating for no one (one was found spinning a CPU for 30 minutes). The IPC
 * channel closing, or the parent pid changing (reparented), cancels every phase as SIGTERM does (generators are
 * stopped, nothing more commits) and the process exits after the grace period.
 */
export function exitWhenParentGone(): void {
  if (watching) return;
  watching = true;
  const parent = process.ppid;
  const gone = (how: string) => cancelPhases(`The nx process that started this batch is gone (${how}); nothing more is committed.`, 1);
  if (process.connected) process.once('disconnect', () => gone('its IPC channel closed'));
  const poll = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(poll);
    gone(`parent pid ${parent} exited`);
  }, POLL_MS);
  poll.unref();
}
