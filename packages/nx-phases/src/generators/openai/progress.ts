import type { WaitStatus } from '../../runtime/rate-limit';
import { formatSeconds } from '../../runtime/rate-limit';
import { redactSecret } from '../../runtime/redact';

/** Wrap `progress` so titles never contain `secret` and an unchanged title is not re-sent. */
export function safeProgress(progress: (title: string) => void, secret: string): (title: string) => void {
  let last: string | undefined;
  return (title) => {
    const safe = redactSecret(title, secret);
    if (safe === last) return;
    last = safe;
    progress(safe);
  };
}

/** "Waiting for rate-limit slot (3.2 s)"; "(2 requests ahead)" or "(2/2 requests in flight)" while the end is unknown. */
export function waitTitle(status: WaitStatus): string {
  const detail =
    status.remainingMs !== undefined
      ? formatSeconds(status.remainingMs)
      : status.ahead !== undefined
        ? `${status.ahead} request${status.ahead === 1 ? '' : 's'} ahead`
        : `${status.inFlight}/${status.maxConcurrentRequests} requests in flight`;
  if (status.reason === 'provider-requests' || status.reason === 'provider-tokens') {
    return `Waiting for the provider's rate limit to reset (${detail})`;
  }
  return `Waiting for rate-limit slot (${detail})`;
}
