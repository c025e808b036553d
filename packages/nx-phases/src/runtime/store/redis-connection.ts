import Redis from 'ioredis';
import { STORE_ENV, STORE_FALLBACK_ENV, type StoreSetting } from './store-setting';

/** The Redis store settings a connection needs. */
export type RedisSetting = Extract<StoreSetting, { kind: 'redis' }>;

/** Redis could not be reached, or stopped answering: names the URL (password hidden), where it was set and the fix. */
export class RedisUnavailableError extends Error {
  constructor(setting: RedisSetting, cause: string, during: 'start' | 'run') {
    const fix =
      during === 'start'
        ? `Fix: start Redis or Valkey there, correct ${setting.source}, or set ${STORE_FALLBACK_ENV}=file to run on this workspace's files ` +
          `(no limits, claims or results shared with other machines) when it is unreachable.`
        : `Nothing was committed by this phase after the connection was lost. Fix: bring Redis back and run again: ` +
          `phases already committed are not generated again.`;
    super(`nx-phases could not ${during === 'start' ? 'reach' : 'keep using'} the coordination store Redis at ${setting.displayUrl} (${setting.source}): ${cause}. ${fix}`);
    this.name = 'RedisUnavailableError';
  }
}

/** Connect and command timeouts; tests shorten nothing, the defaults already fail within seconds. */
const CONNECT_TIMEOUT_MS = 3_000;
const RECONNECT_ATTEMPTS = 3;

/**
 * Opens a connection and waits until it answers PING. It never queues commands while disconnected and gives up
 * after a few reconnect attempts, so a lost Redis turns into errors within seconds instead of silent waiting.
 */
export async function connectRedis(setting: RedisSetting, during: 'start' | 'run' = 'run'): Promise<Redis> {
  const client = new Redis(setting.url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => (times > RECONNECT_ATTEMPTS ? null : 100 * times),
  });
  let lastError = '';
  client.on('error', (error: Error) => (lastError = describeCause(error)));
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    throw new RedisUnavailableError(setting, lastError || describeCause(error), during);
  }
}

/** A short cause without the URL's password: the error code and message of a socket or Redis error. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message.replace(/\/\/[^@/\s]*@/g, '//***@');
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * Checks at the start of a run that Redis answers: returns the store the tasks use (`NX_PHASES_STORE` is set to it
 * for them). Unreachable: throws RedisUnavailableError, or, when the user chose the fallback, warns and returns `file`.
 */
export async function checkStoreAtStart(setting: StoreSetting, warn: (message: string) => void = console.warn): Promise<string> {
  if (setting.kind === 'file') return 'file';
  try {
    const client = await connectRedis(setting, 'start');
    client.disconnect();
    return setting.url;
  } catch (error) {
    if (!setting.fallbackToFile || !(error instanceof RedisUnavailableError)) throw error;
    warn(`nx-phases: ${error.message.split('. Fix:')[0]}. Running on this workspace's files instead, as ${STORE_FALLBACK_ENV}=file asks: limits, claims and results are not shared with other machines in this run.`);
    return 'file';
  }
}

export { STORE_ENV };
