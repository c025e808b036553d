import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startRedisServer, type RedisServer } from '../../test-utils/redis-server';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { ClaimLostError, type ClaimTiming } from '../single-flight/phase-claim';
import { claimKey, claimPhaseOnRedis } from './redis-claim';
import { RedisUnavailableError } from './redis-connection';
import { closeRedisStore, useRedisStore, type RedisStore } from './store-client';

const HOLDER = join(__dirname, '..', 'single-flight', 'test-utils', 'claim-holder.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');
/** Short leases so that expiry is seen in about a second. */
const FAST: Partial<ClaimTiming> = { heartbeatMs: 50, leaseMs: 1_500, pollMs: 20 };

jest.setTimeout(60_000);

describe('single flight across machines: claims on a real Redis', () => {
  let redis: RedisServer;
  let ws: TempWorkspace;
  let store: RedisStore;
  let printed: string[];
  const children: ChildProcess[] = [];
  const env = () => ({ ...process.env, NX_PHASES_STORE: redis.url });
  const request = (timing?: Partial<ClaimTiming>) => ({ workspaceRoot: ws.root, planFile: 'apps/app/phases.json', phaseNumber: 3, timing });

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });
  beforeEach(async () => {
    ws = new TempWorkspace();
    process.env.NX_PHASES_PROGRESS = 'titles';
    printed = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
    store = (await useRedisStore(env()))!;
    await store.client.flushall();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    closeRedisStore();
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    ws.dispose();
  });

  /** A holder process (its own connection: another "machine"), resolved once it holds the claim. */
  function startHolder(timing: Partial<ClaimTiming> = {}): Promise<{ child: ChildProcess; exited: Promise<unknown>; said: () => string }> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', HOLDER, ws.root, 'apps/app/phases.json', '3', join(ws.root, 'release'), JSON.stringify(timing)], {
      env: { ...env(), TS_NODE_PROJECT: TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = new Promise((done) => child.on('exit', done));
    return new Promise((claimed, failed) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes(`claimed ${child.pid}`)) claimed({ child, exited, said: () => out });
      });
      child.on('exit', (code) => failed(new Error(`holder exited with ${code} before claiming`)));
    });
  }

  it('claims a free phase as a key with a lease, and deletes it on release', async () => {
    const claim = await claimPhaseOnRedis(request(), store);
    const key = claimKey('apps/app/phases.json', 3);
    expect(JSON.parse((await store.client.get(key))!).pid).toBe(process.pid);
    expect(Number(await store.client.pttl(key))).toBeGreaterThan(0);
    await claim.assertHeld();
    await claim.release();
    expect(await store.client.exists(key)).toBe(0);
  });

  it('waits for another process holding the claim until it releases it', async () => {
    const holder = await startHolder(FAST);
    let claimed = false;
    const waiting = claimPhaseOnRedis(request(FAST), store).then((claim) => ((claimed = true), claim));
    while (!claimed && !printed.join('').includes(`Waiting for pid ${holder.child.pid}`)) await new Promise((done) => setTimeout(done, 20));
    expect(claimed).toBe(false);
    writeFileSync(join(ws.root, 'release'), '');
    const claim = await waiting;
    expect(holder.said()).toContain('still held');
    await claim.release();
  });

  it('takes over at once the claim of a killed process on this host', async () => {
    const holder = await startHolder();
    holder.child.kill('SIGKILL');
    await holder.exited;
    const claim = await claimPhaseOnRedis(request({ pollMs: 20 }), store);
    await claim.release();
  });

  it("lets a stopped holder's claim expire within the lease; the holder then finds it lost and must not commit", async () => {
    const holder = await startHolder(FAST);
    holder.child.kill('SIGSTOP');
    const claim = await claimPhaseOnRedis(request(FAST), store);
    writeFileSync(join(ws.root, 'release'), '');
    holder.child.kill('SIGCONT');
    await holder.exited;
    expect(holder.said()).toContain('lost: Phase 3 of apps/app/phases.json was taken over by pid');
    await claim.release();
  });

  it('fails clearly, naming the URL, when Redis is lost while the claim is held', async () => {
    const claim = await claimPhaseOnRedis(request(), store);
    await redis.stop();
    try {
      const attempt = claim.assertHeld();
      await expect(attempt).rejects.toThrow(RedisUnavailableError);
      await expect(claim.assertHeld()).rejects.toThrow(`could not keep using the coordination store Redis at ${redis.url}`);
      await claim.release();
    } finally {
      closeRedisStore();
      await redis.start();
      store = (await useRedisStore(env()))!;
    }
  });

  it('never treats a key the store holds for someone else as ours', async () => {
    await store.client.set(claimKey('apps/app/phases.json', 3), 'not json', 'PX', 200);
    const claim = await claimPhaseOnRedis(request({ pollMs: 20 }), store);
    await store.client.set(claimKey('apps/app/phases.json', 3), 'stolen');
    await expect(claim.assertHeld()).rejects.toThrow(ClaimLostError);
    await claim.release();
    expect(await store.client.get(claimKey('apps/app/phases.json', 3))).toBe('stolen');
  });
});
