import { randomBytes } from 'node:crypto';
import { sha256 } from '../hash';
import { PhaseProgress } from '../progress';
import { currentHolder, isHolderDead } from '../rate-limit/process-alive';
import type { LockHolder } from '../rate-limit/lock-file';
import { formatSeconds, sleep } from '../rate-limit/sleep';
import { claimTiming, ClaimLostError, ClaimWaitTimeoutError, type ClaimRequest, type ClaimTiming, type PhaseClaim } from '../single-flight/phase-claim';
import { describeCause, RedisUnavailableError } from './redis-connection';
import type { RedisStore } from './store-client';

/** Sets the lease again only while the key still holds this claim's value (atomic: one Lua script). */
const RENEW_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key only while it still holds the given value (atomic: one Lua script). */
const DELETE_IF_EQUAL = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** A phase request on the Redis store: the claim also covers the phase's fingerprint, so different inputs never wait on each other. */
export interface RedisClaimRequest extends ClaimRequest {
  fingerprint?: string;
}

/** `nx-phases:claim:<sha256(plan file, phase number, fingerprint)[0..32]>`: one key per phase and inputs, shared by every machine. */
export function claimKey(planFile: string, phaseNumber: number, fingerprint = ''): string {
  return `nx-phases:claim:${sha256(`${planFile}\n${phaseNumber}\n${fingerprint}`).slice(0, 32)}`;
}

/**
 * Single flight across machines: the claim is a Redis key set with NX and a lease (PX `leaseMs`), renewed every
 * `heartbeatMs` by a compare-and-expire script. A waiter polls until the key is gone (the holder released it, or the
 * lease ran out because the holder's machine died or lost Redis) or its holder on this host is provably dead (then it
 * deletes the key if it still holds that claim). Waiting for a live holder ends with ClaimWaitTimeoutError.
 */
export async function claimPhaseOnRedis(request: RedisClaimRequest, store: RedisStore): Promise<PhaseClaim> {
  const timing = claimTiming(request.timing);
  const key = claimKey(request.planFile, request.phaseNumber, request.fingerprint);
  const value = JSON.stringify({ token: randomBytes(8).toString('hex'), ...currentHolder(), since: new Date().toISOString() });
  const where = `Redis key ${key} at ${store.setting.displayUrl}`;
  const run = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw new RedisUnavailableError(store.setting, describeCause(error), 'run');
    }
  };
  const take = () => run(() => store.client.set(key, value, 'PX', timing.leaseMs, 'NX')).then((reply) => reply === 'OK');
  if (!(await take())) await waitForClaim(request, store, key, where, timing, take, run);
  let lost: string | undefined;
  const renew = () => run(() => store.client.eval(RENEW_IF_OURS, 1, key, value, timing.leaseMs)).then((reply) => Number(reply) === 1);
  const heartbeat = setInterval(() => {
    renew()
      .then((held) => (lost ??= held ? undefined : 'taken'))
      .catch(() => undefined); // a missed renewal only shortens the lease; assertHeld reports a lost Redis
  }, timing.heartbeatMs);
  heartbeat.unref();
  return {
    assertHeld: async () => {
      if (lost === undefined && (await renew())) return;
      const holder = parseHolder(await run(() => store.client.get(key)).catch(() => null));
      throw new ClaimLostError(request, where, holder);
    },
    release: async () => {
      clearInterval(heartbeat);
      await store.client.eval(DELETE_IF_EQUAL, 1, key, value).catch(() => undefined); // otherwise the lease expires on its own
    },
  };
}

async function waitForClaim(
  request: ClaimRequest,
  store: RedisStore,
  key: string,
  where: string,
  timing: ClaimTiming,
  take: () => Promise<boolean>,
  run: <T>(command: () => Promise<T>) => Promise<T>,
): Promise<void> {
  await new PhaseProgress()
    .add('Waiting for another machine running this phase', async (title) => {
      const started = performance.now();
      let holder: LockHolder | undefined;
      let tookOver = false;
      for (;;) {
        const raw = await run(() => store.client.get(key));
        holder = parseHolder(raw) ?? holder;
        const seen = parseHolder(raw);
        if (raw && seen && isHolderDead(seen)) tookOver = Number(await run(() => store.client.eval(DELETE_IF_EQUAL, 1, key, raw))) === 1 || tookOver;
        if (await take()) break;
        const waited = performance.now() - started;
        if (waited >= timing.maxWaitMs) {
          const ttl = Number(await run(() => store.client.pttl(key)));
          throw new ClaimWaitTimeoutError(request, where, holder, waited, Math.max(0, timing.leaseMs - ttl), `delete that key (redis-cli -u <url> DEL ${key})`);
        }
        title(`Waiting for ${describe(holder)}, which is running this phase (${formatSeconds(waited)})`);
        await sleep(timing.pollMs * (1 + Math.random()), request.signal);
      }
      const waited = formatSeconds(performance.now() - started);
      title(tookOver ? `Took over the phase from ${describe(holder)}, which no longer exists (after ${waited})` : `Waited ${waited} for ${describe(holder)} to finish this phase`);
    })
    .run();
}

/** The holder a claim's value names; undefined for anything that is not such a value (the store is not trusted). */
function parseHolder(raw: string | null): LockHolder | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string' || typeof value.token !== 'string') return undefined;
    return { pid: value.pid, host: value.host.slice(0, 255), token: value.token, ...(typeof value.since === 'string' ? { since: value.since.slice(0, 40) } : {}) };
  } catch {
    return undefined;
  }
}

function describe(holder: LockHolder | undefined): string {
  return holder ? `pid ${holder.pid} on ${holder.host}` : 'another machine';
}
