import type Redis from 'ioredis';
import { resolveStoreSetting, STORE_ENV, type StoreSetting } from './store-setting';
import type { RedisSetting } from './redis-connection';

/** The Redis connection of this process and the setting it was opened from; undefined on the file store. */
export interface RedisStore {
  client: Redis;
  setting: RedisSetting;
}

let opened: { url: string; store: Promise<RedisStore>; users: number } | undefined;

/** The store the tasks run on: `NX_PHASES_STORE` as the pre-tasks hook left it (no fallback inside a task). */
export function taskStoreSetting(env: NodeJS.ProcessEnv = process.env): StoreSetting {
  const setting = resolveStoreSetting({ env: { [STORE_ENV]: env[STORE_ENV] } });
  return setting.kind === 'redis' ? { ...setting, fallbackToFile: false } : setting;
}

/**
 * This process's Redis connection, opened on first use and shared by the phases it runs (a batch worker runs
 * several); undefined on the file store. Each caller ends its use with `releaseRedisStore()`; the last one closes it,
 * so a task process never stays alive for an open socket.
 */
export async function useRedisStore(env: NodeJS.ProcessEnv = process.env): Promise<RedisStore | undefined> {
  const setting = taskStoreSetting(env);
  if (setting.kind !== 'redis') return undefined;
  if (!opened || opened.url !== setting.url) {
    const { connectRedis } = await import('./redis-connection'); // ioredis loads only for Redis
    const store = connectRedis(setting, 'run').then((client) => ({ client, setting }));
    opened = { url: setting.url, store, users: 0 };
    store.catch(() => (opened = undefined));
  }
  opened.users += 1;
  return opened.store;
}

/** Ends one `useRedisStore()`; closes the connection when no phase of this process uses it any more. */
export function releaseRedisStore(): void {
  if (!opened) return;
  opened.users -= 1;
  if (opened.users > 0) return;
  const { store } = opened;
  opened = undefined;
  store.then(({ client }) => client.disconnect()).catch(() => undefined);
}
