/**
 * A child process for the cross-process limiter tests. Config comes as JSON in argv[2]:
 * it takes `requests` slots one after another, reports each as sent at once, holds it for
 * `holdMs` (forever when `holdForever`), and appends one JSON line per slot to `logFile`:
 * `{ pid, worker, startedAt, sentAt, releasedAt }` (`releasedAt` only once released). With `redisUrl`, the state
 * lives in that Redis (another "machine" sharing the limit) instead of `stateDir`.
 */
import { appendFileSync } from 'node:fs';
import { CrossProcessRateLimiter, RateLimiterOptions } from '../limiter';
import { sleep } from '../sleep';
import { redisLimiterStore } from '../../store/redis-limiter-store';
import { closeRedisStore, useRedisStore } from '../../store/store-client';

/** The worker's configuration (JSON in argv[2]). */
export interface LimiterWorkerConfig extends RateLimiterOptions {
  worker: string;
  requests: number;
  holdMs: number;
  holdForever?: boolean;
  logFile: string;
  redisUrl?: string;
  /** Tokens each request reserves (default 1). */
  tokens?: number;
}

async function main(config: LimiterWorkerConfig): Promise<void> {
  const redis = config.redisUrl ? await useRedisStore({ NX_PHASES_STORE: config.redisUrl }) : undefined;
  const limiter = new CrossProcessRateLimiter(redis ? { ...config, store: redisLimiterStore(redis, 'http://127.0.0.1:1/v1', 'test-model') } : config);
  for (let i = 0; i < config.requests; i++) {
    const lease = await limiter.acquire({ tokens: config.tokens ?? 1 });
    const sentAt = await lease.markSent();
    const record = { pid: process.pid, worker: config.worker, startedAt: lease.startedAt, sentAt };
    if (config.holdForever) {
      appendFileSync(config.logFile, JSON.stringify(record) + '\n');
      await new Promise(() => setInterval(() => undefined, 60_000));
    }
    await sleep(config.holdMs);
    const releasedAt = await lease.release();
    appendFileSync(config.logFile, JSON.stringify({ ...record, releasedAt }) + '\n');
  }
  if (redis) closeRedisStore();
}

main(JSON.parse(process.argv[2]) as LimiterWorkerConfig).catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
