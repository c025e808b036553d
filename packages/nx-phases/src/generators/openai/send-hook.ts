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
      const response = await baseFetch(input, init);
      report();
      return response;
    } catch (error) {
      // A connection that was never made sent nothing (nothing can be billed); any other failure may have come
      // after the request was written, so it counts as sent.
      if (!reported && !neverConnected(error)) report();
      throw error;
    } finally {
      unsubscribe(SEND_HEADERS_CHANNEL, listener);
    }
  };
}

/** Errors of a connection that was never made: the server refused it, or its name or route does not resolve. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** True when the fetch failed before a connection existed (Node's fetch puts the socket error in `cause`). */
function neverConnected(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
    const errors = (cause as { errors?: unknown }).errors; // AggregateError: every address refused
    if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => NOT_CONNECTED.has(String((inner as { code?: unknown }).code)))) return true;
  }
  return false;
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
