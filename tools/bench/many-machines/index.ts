/**
 * Many machines, one limit (issue 21): three "machines" (a workspace and two git clones, each with its own HOME, Nx
 * cache and workspace data) run real `nx run-many -t phase --parallel=3` (`--parallel=N`) with the packed plugin at the same time,
 * against one real redis-server (NX_PHASES_STORE), one loopback remote cache and one loopback OpenAI-compatible server
 * that ENFORCES an in-flight limit: a request arriving while `limit` requests are being answered gets 429 at once and
 * is counted as a violation. Each machine alone could keep 3 requests in flight (9 together), the limit is 3, and the
 * plans are flat (no dependencies), so the limit, not the DAG, is the bottleneck. Modes: `sharded` (each machine
 * generates its own app, like a CI matrix with one app per job) and `same` (every machine runs every app: claims make
 * each phase generated once). `--store=file` is the baseline without Redis (each machine its own limiter).
 * Use of the limit is measured at the server (see USE_DEFINITION). Every run is fresh: new workspaces, new Redis
 * keys (FLUSHALL), an empty remote cache.
 *
 *   npx ts-node --transpile-only -P tools/bench/many-machines/tsconfig.json tools/bench/many-machines/index.ts \
 *     [--phases=16] [--limit=3] [--parallel=3] [--latency-ms=1500-2500] [--modes=sharded,same] [--store=redis|file] [--repeat=1]
 */
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startNx } from '../../../packages/nx-phases-e2e/src/utils/nx-async';
import type { E2eWorkspace } from '../../../packages/nx-phases-e2e/src/utils/e2e-workspace';
import { cloneScenarioWorkspace } from '../../../packages/nx-phases-e2e/src/utils/workspace-factory';
import { readRequestLog, startOpenAITestServer } from '../../../packages/nx-phases/src/test-utils/openai-test-server';
import { startRedisServer, type RedisServer } from '../../../packages/nx-phases/src/test-utils/redis-server';
import { startRemoteCacheServer } from '../../../packages/nx-phases/src/test-utils/remote-cache-server';
import { prepareBenchArea, writePlan, type BenchArea } from '../lib/bench-workspace';
import { limitUse, USE_DEFINITION, type LimitUse } from './use';

const COMMAND = 'npx ts-node --transpile-only -P tools/bench/many-machines/tsconfig.json tools/bench/many-machines/index.ts';
const MACHINES = 3;
const APPS = ['m1', 'm2', 'm3'];

/** One measured run. */
interface RunRow extends LimitUse {
  mode: string;
  store: string;
  loadBefore: number;
  loadAfter: number;
  exitCodes: Array<number | null>;
  wallMs: number;
}

let runCounter = 0;

async function main(): Promise<void> {
  const phases = Number(flag('phases') ?? '16');
  const limit = Number(flag('limit') ?? '3');
  const [min, max] = (flag('latency-ms') ?? '1500-2500').split('-').map(Number);
  const latency = { min, max: max ?? min };
  const modes = flag('modes')?.split(',') ?? ['sharded', 'same'];
  const store = flag('store') ?? 'redis';
  const repeat = Number(flag('repeat') ?? '1');
  const parallel = Number(flag('parallel') ?? '3');
  for (const mode of modes) if (!['sharded', 'same'].includes(mode)) throw new Error(`Unknown mode ${mode}; use sharded or same.`);
  if (!['redis', 'file'].includes(store)) throw new Error(`Unknown store ${store}; use redis or file.`);
  const startLoad = loadavg()[0];
  const area = prepareBenchArea('many-machines');
  const redis = await startRedisServer();
  const rows: RunRow[] = [];
  try {
    for (let round = 0; round < repeat; round++) {
      for (const mode of modes) rows.push(await run(area, redis, { mode, store, phases, limit, latency, parallel }));
    }
  } finally {
    await redis.dispose();
    area.dispose();
  }
  console.log(`\n${renderRows(rows)}\n\n${USE_DEFINITION}.`);
  console.log(
    `${MACHINES} machines × --parallel=${flag('parallel') ?? '3'}, ${APPS.length} flat apps × ${phases} openai phases, server in-flight limit ${limit} ` +
      `(plan rateLimit.maxConcurrentRequests ${limit}), answers after ${latency.min}-${latency.max} ms; ${cpus().length} CPUs, ` +
      `load average ${startLoad.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end, node ${process.version}`,
  );
  console.log(`command: ${[COMMAND, ...process.argv.slice(2)].join(' ')}`);
  if (rows.some((row) => row.violations > 0 || row.exitCodes.some((code) => code !== 0))) process.exitCode = 1;
}

interface RunSettings {
  mode: string;
  store: string;
  phases: number;
  limit: number;
  latency: { min: number; max: number };
  parallel: number;
}

/** One run: fresh machines, a fresh server, Redis emptied, all machines started at once. */
async function run(area: BenchArea, redis: RedisServer, settings: RunSettings): Promise<RunRow> {
  const name = `${settings.mode}-${settings.store}-${++runCounter}`;
  mkdirSync(join(area.state.tempRoot, 'logs'), { recursive: true });
  const logFile = join(area.state.tempRoot, 'logs', `${name}.jsonl`);
  const server = await startOpenAITestServer({ latencyMs: settings.latency, maxInFlight: settings.limit }, { logFile, omitBodies: true });
  const cache = await startRemoteCacheServer();
  try {
    await flushAll(redis.url);
    const machines = createMachines(area, name, server.url, settings);
    const env = {
      OPENAI_API_KEY: 'bench-not-a-secret',
      NX_PHASES_STORE: settings.store === 'redis' ? redis.url : 'file',
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url,
    };
    const loadBefore = loadavg()[0];
    const started = Date.now();
    const runs = await Promise.all(
      machines.map((machine, index) => {
        const projects = settings.mode === 'sharded' ? [`--projects=tag:phase-plan:${APPS[index]}`] : [];
        const args = ['run-many', '-t', 'phase', ...projects, '--outputStyle=static', `--parallel=${settings.parallel}`];
        return startNx(machine, args, { env, allowFailure: true, killAfterMs: 900_000 }).done;
      }),
    );
    const wallMs = Date.now() - started;
    for (const [index, result] of runs.entries()) {
      if (result.status !== 0) console.error(`machine ${index + 1} exited ${result.status}:\n${result.output.slice(-3000)}`);
    }
    const log = readRequestLog(logFile);
    const expected = settings.phases * APPS.length;
    const row: RunRow = {
      mode: settings.mode,
      store: settings.store,
      loadBefore,
      loadAfter: loadavg()[0],
      exitCodes: runs.map((result) => result.status),
      wallMs,
      ...limitUse(log, settings.limit),
    };
    if (row.served !== expected) console.error(`${name}: expected ${expected} generator calls, the server answered ${row.served} with 200.`);
    console.log(renderRow(row));
    return row;
  } finally {
    await cache.close();
    await server.close();
  }
}

/** Machine 1 is a fresh workspace holding the apps' plans; machines 2 and 3 are git clones with their own HOME. */
function createMachines(area: BenchArea, name: string, baseURL: string, settings: RunSettings): E2eWorkspace[] {
  const first = area.workspace(`${name}-1`);
  for (const app of APPS) writePlan(first, `apps/${app}`, flatPlan(app, baseURL, settings));
  first.commitAll('plans');
  const clones = Array.from({ length: MACHINES - 1 }, (_, index) => cloneScenarioWorkspace(area.state, first, `${name}-${index + 2}`, { ownHome: true }));
  return [first, ...clones];
}

/** `phases` independent openai phases, each planning one file; the plan's limit is the server's. */
function flatPlan(app: string, baseURL: string, settings: RunSettings): object {
  return {
    name: app,
    generator: { use: 'nx-phases:openai', options: { model: 'bench-model', baseURL } },
    rateLimit: { maxConcurrentRequests: settings.limit, minDelayBetweenMs: 0, requestsPerMinute: 10_000 },
    phases: Array.from({ length: settings.phases }, (_, index) => ({
      number: index + 1,
      name: `Part ${index + 1}`,
      domain: 'feature',
      features: [`Feature ${index + 1} of ${app}`],
      dependencies: [],
      plannedFiles: [`src/p${index + 1}.ts`],
    })),
  };
}

async function flushAll(url: string): Promise<void> {
  const client = new Redis(url);
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

function renderRows(rows: RunRow[]): string {
  return [
    '| mode | store | load before → after | served | violations (429 at the server) | other errors | max in flight | busy window | use of the limit | idle slot-time before the last arrival | idle after it (end of work) | median hand-over | whole run | exit codes |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(renderRow),
  ].join('\n');
}

function renderRow(r: RunRow): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const share = (ms: number) => `${((100 * ms) / (r.windowMs * Number(flag('limit') ?? '3'))).toFixed(1)} %`;
  return `| ${r.mode} | ${r.store} | ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)} | ${r.served} | ${r.violations} | ${r.otherErrors} | ${r.maxInFlight} | ${s(r.windowMs)} | ${(100 * r.use).toFixed(1)} % | ${share(r.idleBeforeLastArrivalMs)} | ${share(r.idleAfterLastArrivalMs)} | ${r.medianHandOverMs} ms | ${s(r.wallMs)} | ${r.exitCodes.join(', ')} |`;
}

function flag(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
