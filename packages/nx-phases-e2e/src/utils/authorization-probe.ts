import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Counts, in memory only, the requests to one local HTTP server by the Authorization they carried. */
export interface AuthorizationProbe {
  /** Requests to the port whose Authorization header was exactly `Bearer <key>`. */
  withKey(key: string): number;
  /** Requests to the port seen so far. */
  total(): number;
  stop(): void;
}

/**
 * Watches Node's `http.server.request.start` channel for requests to the server on `port` in this process,
 * so a test can prove a key reached the server without any log ever holding it.
 */
export function probeAuthorization(port: number): AuthorizationProbe {
  const seen: Array<string | undefined> = [];
  const listener = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    if ((server.address() as AddressInfo | null)?.port === port) seen.push(request.headers.authorization);
  };
  subscribe('http.server.request.start', listener);
  return {
    withKey: (key) => seen.filter((value) => value === `Bearer ${key}`).length,
    total: () => seen.length,
    stop: () => unsubscribe('http.server.request.start', listener),
  };
}
