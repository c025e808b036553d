import { startRemoteCacheServer, type RemoteCacheServer } from './remote-cache-server';

describe('remote cache test server (Nx self-hosted cache API)', () => {
  let server: RemoteCacheServer;
  const bytes = Buffer.from([0x1f, 0x8b, 0, 1, 2, 255]);
  const call = (method: string, path: string, token: string | undefined, body?: Buffer) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });

  beforeEach(async () => {
    server = await startRemoteCacheServer({ token: 'rw-token', readOnlyToken: 'ro-token' });
  });
  afterEach(() => server.close());

  it('listens on loopback, without a trailing slash in its url', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers a miss with 404, stores a PUT with 200, serves the same bytes, and refuses to overwrite with 409', async () => {
    expect((await call('GET', '/v1/cache/123', 'rw-token')).status).toBe(404);
    expect((await call('PUT', '/v1/cache/123', 'rw-token', bytes)).status).toBe(200);
    const hit = await call('GET', '/v1/cache/123', 'ro-token');
    expect([hit.status, hit.headers.get('content-type')]).toEqual([200, 'application/octet-stream']);
    expect(Buffer.from(await hit.arrayBuffer())).toEqual(bytes);
    expect((await call('PUT', '/v1/cache/123', 'rw-token', Buffer.from('other'))).status).toBe(409);
    expect(server.entries.get('123')).toEqual(bytes);
    expect([server.stored(), server.hits()]).toEqual([['123'], ['123']]);
  });

  it('answers 401 with a text/plain body without a valid bearer token, and 403 to a PUT with a read-only token', async () => {
    for (const token of [undefined, 'wrong']) {
      const denied = await call('GET', '/v1/cache/123', token);
      expect([denied.status, denied.headers.get('content-type'), await denied.text()]).toEqual([401, 'text/plain', 'Missing or invalid bearer token']);
    }
    const readOnly = await call('PUT', '/v1/cache/123', 'ro-token', bytes);
    expect([readOnly.status, readOnly.headers.get('content-type')]).toEqual([403, 'text/plain']);
    expect(server.entries.size).toBe(0);
  });

  it('answers other paths with 404 and other methods with 405, and never logs a token', async () => {
    expect((await call('GET', '/v1/other/123', 'rw-token')).status).toBe(404);
    expect((await call('GET', '/v1/cache/../x', 'rw-token')).status).toBe(404);
    const deleted = await call('DELETE', '/v1/cache/123', 'rw-token');
    expect([deleted.status, deleted.headers.get('allow')]).toEqual([405, 'GET, PUT']);
    expect(JSON.stringify(server.requests)).not.toContain('token');
  });

  it('needs no token when none is configured', async () => {
    const open = await startRemoteCacheServer();
    try {
      expect((await fetch(`${open.url}/v1/cache/9`, { method: 'PUT', body: bytes })).status).toBe(200);
      expect((await fetch(`${open.url}/v1/cache/9`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
