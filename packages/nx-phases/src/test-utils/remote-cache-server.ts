/**
 * A small in-memory implementation of Nx's self-hosted remote cache HTTP API on 127.0.0.1, for tests:
 * point a workspace at it with `NX_SELF_HOSTED_REMOTE_CACHE_SERVER=<server.url>` (and
 * `NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=<token>`).
 *
 * - `GET /v1/cache/{hash}`: 200 with the stored bytes (`application/octet-stream`), or 404.
 * - `PUT /v1/cache/{hash}` with the bytes: 200 when stored, 409 when the hash is already stored, 403 for a
 *   read-only token.
 * - A missing or unknown bearer token gets 401. Every error has a body with content type exactly `text/plain`:
 *   Nx's client reports a 401 with any other content type as a misconfigured server.
 * Every request is logged (method, hash, status, bytes), never its headers, so the token is never logged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who may do what: `token` reads and writes, `readOnlyToken` only reads; no tokens means no authentication. */
export interface RemoteCacheServerOptions {
  token?: string;
  readOnlyToken?: string;
}

/** One request as the server saw it. */
export interface RemoteCacheRequest {
  method: string;
  /** The `{hash}` of `/v1/cache/{hash}`, or undefined for any other path. */
  hash?: string;
  status: number;
  /** Bytes received (PUT) or sent (GET hit). */
  bytes: number;
}

/** A running server; `close()` stops it. */
export interface RemoteCacheServer {
  /** `http://127.0.0.1:<port>` (no trailing slash, as Nx expects). */
  url: string;
  port: number;
  /** Stored entries by hash. */
  entries: Map<string, Buffer>;
  /** Every request so far, in arrival order. */
  requests: RemoteCacheRequest[];
  /** Hashes answered 200 to a GET (cache hits served). */
  hits(): string[];
  /** Hashes stored by a PUT (200). */
  stored(): string[];
  close(): Promise<void>;
}

const CACHE_PATH = /^\/v1\/cache\/([A-Za-z0-9_.-]+)$/;

/** Starts the server on 127.0.0.1 (a free port). */
export async function startRemoteCacheServer(options: RemoteCacheServerOptions = {}): Promise<RemoteCacheServer> {
  const entries = new Map<string, Buffer>();
  const requests: RemoteCacheRequest[] = [];
  const server = createServer((request, response) => {
    handle(request, response, options, entries, requests).catch((error: Error) => {
      requests.push({ method: request.method ?? '', status: 500, bytes: 0 });
      reply(response, 500, `Internal error: ${error.message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const matching = (method: string, status: number) => requests.filter((r) => r.method === method && r.status === status).map((r) => r.hash!);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    entries,
    requests,
    hits: () => matching('GET', 200),
    stored: () => matching('PUT', 200),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers one request; it is logged before the answer is sent, so a client never sees an unlogged reply. */
async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: RemoteCacheServerOptions,
  entries: Map<string, Buffer>,
  requests: RemoteCacheRequest[],
): Promise<void> {
  const method = request.method ?? '';
  const body = await readBody(request);
  const hash = CACHE_PATH.exec(request.url ?? '')?.[1];
  const answer = (status: number, text: string, bytes = body.length) => {
    requests.push({ method, hash, status, bytes });
    reply(response, status, text);
  };
  if (hash === undefined) return answer(404, 'Not found: use /v1/cache/{hash}');
  const access = accessOf(request, options);
  if (access === 'none') return answer(401, 'Missing or invalid bearer token');
  if (method === 'GET') {
    const entry = entries.get(hash);
    if (!entry) return answer(404, 'Not found');
    requests.push({ method, hash, status: 200, bytes: entry.length });
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': entry.length });
    response.end(entry);
    return;
  }
  if (method === 'PUT') {
    if (access === 'read') return answer(403, 'This token may only read');
    if (entries.has(hash)) return answer(409, 'Cannot override an existing record');
    entries.set(hash, body);
    return answer(200, '');
  }
  response.setHeader('allow', 'GET, PUT');
  return answer(405, `Method ${method} not allowed`);
}

function accessOf(request: IncomingMessage, options: RemoteCacheServerOptions): 'write' | 'read' | 'none' {
  if (options.token === undefined && options.readOnlyToken === undefined) return 'write';
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined && bearer === options.token) return 'write';
  if (bearer !== undefined && bearer === options.readOnlyToken) return 'read';
  return 'none';
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
