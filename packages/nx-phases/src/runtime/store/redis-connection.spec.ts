import { startRedisServer, type RedisServer } from '../../test-utils/redis-server';
import { checkStoreAtStart, connectRedis, RedisUnavailableError } from './redis-connection';
import { resolveStoreSetting } from './store-setting';

describe('connecting to the Redis store', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  const setting = (url: string, fallback?: string) =>
    resolveStoreSetting({ env: { NX_PHASES_STORE: url, ...(fallback ? { NX_PHASES_STORE_FALLBACK: fallback } : {}) } });

  it('connects to a real redis-server and leaves no persistence file behind', async () => {
    const client = await connectRedis(setting(redis.url) as never);
    await client.set('k', 'v');
    await expect(client.get('k')).resolves.toBe('v');
    client.disconnect();
    await expect(checkStoreAtStart(setting(redis.url))).resolves.toBe(redis.url);
    expect(redis.leftovers()).toEqual([]);
  });

  it('fails at the start with the URL (password hidden), where it was set and the fix, when nothing listens there', async () => {
    const stopped = await startRedisServer();
    await stopped.dispose();
    const url = `redis://:hunter2@127.0.0.1:${stopped.port}`;
    const attempt = checkStoreAtStart(setting(url));
    await expect(attempt).rejects.toThrow(RedisUnavailableError);
    await expect(checkStoreAtStart(setting(url))).rejects.toThrow(
      new RegExp(`could not reach the coordination store Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${stopped.port} \\(NX_PHASES_STORE\\): .*ECONNREFUSED.*Fix: start Redis`),
    );
    await expect(checkStoreAtStart(setting(url))).rejects.not.toThrow(/hunter2/);
  });

  it('falls back to the file store, saying so, only when the user chose it', async () => {
    const stopped = await startRedisServer();
    await stopped.dispose();
    const warnings: string[] = [];
    await expect(checkStoreAtStart(setting(`redis://127.0.0.1:${stopped.port}`, 'file'), (m) => warnings.push(m))).resolves.toBe('file');
    expect(warnings).toEqual([expect.stringContaining("Running on this workspace's files instead, as NX_PHASES_STORE_FALLBACK=file asks")]);
  });
});
