import type Redis from 'ioredis';
import { resolveStoreSetting, STORE_ENV, type StoreSetting } from './store-setting';
import type { RedisSetting } from './redis-connection';

/** The Redis connection of this process and the setting it was opened from; undefined on the file store. */
export interface RedisStore {
  client: Redis;
  setting: RedisSetting;
}

let opened: { url: string; store: Promise<RedisStore> } | undefined;
/** Uses in progress: while there are any, the socket keeps the process alive. */
let users = 0;

/** The store the tasks run on: `NX_PHASES_STORE` as the pre-tasks hook left it (no fallback inside a task). */
export function taskStoreSetting(env: NodeJS.ProcessEnv = process.env): StoreSetting {
  const setting = resolveStoreSetting({ env: { [STORE_ENV]: env[STORE_ENV] } });
  return setting.kind === 'redis' ? { ...setting, fallbackToFile: false } : setting;
}

/**
 * This process's Redis connection, opened on first use and shared by everything the process runs (a batch worker
 * runs many phases at once); undefined on the file store. While a use is in progress (until `releaseRedisStore()`)
 * the socket keeps the process alive; with none, it is unref'd, so an idle connection never keeps a task process
 * running. It is never closed while the process runs: a late heartbeat or release still finds it open.
 */
export async function useRedisStore(env: NodeJS.ProcessEnv = process.env): Promise<RedisStore | undefined> {
  const setting = taskStoreSetting(env);
  if (setting.kind !== 'redis') return undefined;
  if (!opened || opened.url !== setting.url) {
    const { connectRedis } = await import('./redis-connection'); // ioredis loads only for Redis
    const store = connectRedis(setting, 'run').then((client) => {
      client.on('connect', () => holdProcess(client));
      return { client, setting };
    });
    opened = { url: setting.url, store };
    store.catch(() => (opened = undefined));
  }
  users += 1;
  const store = await opened.store.catch((error) => {
    users -= 1;
    throw error;
  });
  holdProcess(store.client);
  return store;
}

/** Ends one `useRedisStore()`: with no use left, the idle connection stops keeping the process alive. */
export function releaseRedisStore(): void {
  users = Math.max(0, users - 1);
  opened?.store.then(({ client }) => holdProcess(client)).catch(() => undefined);
}

/** Refs the socket while a use is in progress, unrefs it otherwise. */
function holdProcess(client: RedisStore['client']): void {
  const stream = (client as unknown as { stream?: { ref?(): void; unref?(): void } }).stream;
  if (users > 0) stream?.ref?.();
  else stream?.unref?.();
}

/** Closes this process's connection (tests that stop and restart Redis, or end); the next use opens a new one. */
export function closeRedisStore(): void {
  const current = opened;
  opened = undefined;
  users = 0;
  current?.store.then(({ client }) => client.disconnect()).catch(() => undefined);
}
