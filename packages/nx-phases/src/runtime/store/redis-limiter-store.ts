import { sha256 } from '../hash';
import type { LimiterStateStore } from '../rate-limit/limiter';
import { parseLimiterState } from '../rate-limit/limiter-state';
import { updateRedisDocument } from './redis-transaction';
import type { RedisStore } from './store-client';

/** The shared limiter state lives this long after its last change (any live lease renews it far more often). */
const STATE_TTL_MS = 10 * 60_000;

/** `nx-phases:rate-limit:<sha256(baseURL\nmodel)[0..16]>`: the same endpoint shares one state on every machine. */
export function limiterKey(baseURL: string, model: string): string {
  return `nx-phases:rate-limit:${sha256(`${baseURL}\n${model}`).slice(0, 16)}`;
}

/**
 * The limiter's state (leases, queue, window, 429 cooldown, provider feedback) as one JSON value in Redis, changed
 * by optimistic transactions on the Redis clock: the same rules as the file store, shared by every machine.
 */
export function redisLimiterStore(store: RedisStore, baseURL: string, model: string): LimiterStateStore {
  const key = limiterKey(baseURL, model);
  return {
    update: (change, signal) => updateRedisDocument(store, { key, parse: parseLimiterState, change, ttlMs: STATE_TTL_MS, signal }),
  };
}
