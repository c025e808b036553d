import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** Published by undici (Node's fetch) when a request's headers are written to the socket. */
const SEND_HEADERS_CHANNEL = 'undici:client:sendHeaders';

interface SendHeadersMessage {
  request?: { origin?: string; path?: string };
}

/**
 * A fetch for the openai client that calls `onSent()` once per request, as soon as its headers
 * are on the wire (undici's `undici:client:sendHeaders` diagnostics channel), or when the fetch
 * settles if that event never comes (another fetch implementation). The limiter counts spacing
 * from that moment, so time spent before sending (a first request's warm-up on a busy machine)
 * cannot bunch arrivals at the server.
 */
export function fetchReportingSend(onSent: () => void, baseFetch: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    let reported = false;
    const report = () => {
      if (reported) return;
      reported = true;
      unsubscribe(SEND_HEADERS_CHANNEL, listener);
      onSent();
    };
    const listener = (message: unknown) => {
      const request = (message as SendHeadersMessage).request;
      if (request?.origin === url.origin && request.path === url.pathname + url.search) report();
    };
    subscribe(SEND_HEADERS_CHANNEL, listener);
    try {
      return await baseFetch(input, init);
    } finally {
      report();
    }
  };
}

let warmedUp: Promise<void> | undefined;

/** Run fetch once on a `data:` URL (no network), so its one-time start-up cost is paid before a slot is held. */
export function warmUpFetch(): Promise<void> {
  warmedUp ??= fetch('data:text/plain,warm-up').then(
    (response) => void response.arrayBuffer(),
    () => undefined,
  );
  return warmedUp;
}
