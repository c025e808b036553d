import type Redis from 'ioredis';
import { describeCause, RedisUnavailableError } from './redis-connection';
import type { RedisStore } from './store-client';

/** One connection's optimistic transactions run one at a time: EXEC ends every WATCH of its connection. */
const queues = new WeakMap<Redis, Promise<unknown>>();

/** How one JSON document is read, changed and written back. */
export interface DocumentChange<D, T> {
  key: string;
  /** The document from the stored text (null when the key is absent); the text is untrusted. */
  parse(text: string | null): D;
  /** Changes the document in place; `now` is the Redis server's clock (ms), the same for every machine. */
  change(document: D, now: number): T;
  /** The document's lifetime after this write. */
  ttlMs: number;
  signal?: AbortSignal;
}

/**
 * An atomic read-modify-write of one JSON document in Redis: WATCH the key, read it and the server's TIME, apply the
 * change, then MULTI/SET/EXEC; when another client wrote the key in between, EXEC aborts and the change is applied
 * again to the new value. A connection error becomes RedisUnavailableError naming the URL.
 */
export function updateRedisDocument<D, T>(store: RedisStore, request: DocumentChange<D, T>): Promise<T> {
  const previous = queues.get(store.client) ?? Promise.resolve();
  const next = previous.then(() => attempt(store, request));
  queues.set(
    store.client,
    next.catch(() => undefined),
  );
  return next;
}

async function attempt<D, T>(store: RedisStore, request: DocumentChange<D, T>): Promise<T> {
  const { client } = store;
  const redis = async <R>(command: () => Promise<R>): Promise<R> => {
    try {
      return await command();
    } catch (error) {
      await client.unwatch().catch(() => undefined);
      throw new RedisUnavailableError(store.setting, describeCause(error), 'run');
    }
  };
  for (;;) {
    request.signal?.throwIfAborted();
    await redis(() => client.watch(request.key));
    const [seconds, micros] = await redis(() => client.time());
    const text = await redis(() => client.get(request.key));
    let document: D;
    let result: T;
    try {
      document = request.parse(text);
      result = request.change(document, Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));
    } catch (error) {
      await client.unwatch().catch(() => undefined);
      throw error; // the caller's error (a damaged document), not Redis's
    }
    const written = await redis(() => client.multi().set(request.key, JSON.stringify(document), 'PX', request.ttlMs).exec());
    if (written !== null) return result;
  }
}
