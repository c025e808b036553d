import Redis from 'ioredis';
import { startRedisServer, type RedisServer } from '../../test-utils/redis-server';
import { updateRedisDocument } from './redis-transaction';
import { closeRedisStore, useRedisStore, type RedisStore } from './store-client';

describe('atomic read-modify-write of a JSON document in a real Redis', () => {
  let redis: RedisServer;
  let store: RedisStore;
  let other: Redis;
  const increment = (key: string) =>
    updateRedisDocument(store, {
      key,
      parse: (text) => (text ? (JSON.parse(text) as { n: number }) : { n: 0 }),
      change: (document) => (document.n += 1),
      ttlMs: 60_000,
    });

  beforeAll(async () => {
    redis = await startRedisServer();
    store = (await useRedisStore({ NX_PHASES_STORE: redis.url }))!;
    other = new Redis(redis.url);
  });
  afterAll(async () => {
    other?.disconnect();
    closeRedisStore();
    await redis?.dispose();
  });

  it('applies the change again when another client wrote the document between the read and the write', async () => {
    const realGet = store.client.get.bind(store.client) as (key: string) => Promise<string | null>;
    let interfered = false;
    const spy = jest.spyOn(store.client, 'get').mockImplementation((async (key: string) => {
      const value = await realGet(key);
      if (!interfered) {
        interfered = true;
        await other.set(key, JSON.stringify({ n: 10 })); // another machine's write, after our WATCH and read
      }
      return value;
    }) as never);
    try {
      await expect(increment('doc')).resolves.toBe(11);
      expect(JSON.parse((await other.get('doc'))!)).toEqual({ n: 11 });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('serialises the transactions of one connection: concurrent updates all count', async () => {
    await Promise.all(Array.from({ length: 20 }, () => increment('counter')));
    expect(JSON.parse((await other.get('counter'))!)).toEqual({ n: 20 });
    expect(Number(await other.pttl('counter'))).toBeGreaterThan(0);
  });
});
