/**
 * A child process for the cross-process limiter tests. Config comes as JSON in argv[2]:
 * it takes `requests` slots one after another, reports each as sent at once, holds it for
 * `holdMs` (forever when `holdForever`), and appends one JSON line per slot to `logFile`:
 * `{ pid, worker, startedAt, sentAt, releasedAt }` (`releasedAt` only once released).
 */
import { appendFileSync } from 'node:fs';
import { CrossProcessRateLimiter, RateLimiterOptions } from '../limiter';
import { sleep } from '../sleep';

/** The worker's configuration (JSON in argv[2]). */
export interface LimiterWorkerConfig extends RateLimiterOptions {
  worker: string;
  requests: number;
  holdMs: number;
  holdForever?: boolean;
  logFile: string;
}

async function main(config: LimiterWorkerConfig): Promise<void> {
  const limiter = new CrossProcessRateLimiter(config);
  for (let i = 0; i < config.requests; i++) {
    const lease = await limiter.acquire({ tokens: 1 });
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
}

main(JSON.parse(process.argv[2]) as LimiterWorkerConfig).catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
