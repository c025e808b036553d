import { readdirSync, readFileSync } from 'node:fs';
import { startRedisServer, type RedisServer } from '../../nx-phases/src/test-utils/redis-server';
import { startRemoteCacheServer, type RemoteCacheServer } from '../../nx-phases/src/test-utils/remote-cache-server';
import { sha256 } from '../../nx-phases/src/runtime/hash';
import { appStateWithoutTimings } from './utils/app-state';
import type { E2eWorkspace } from './utils/e2e-workspace';
import { fourteenPhasePlan } from './utils/fourteen-phases';
import Redis from 'ioredis';
import { killProcessTree, startNx } from './utils/nx-async';
import { stackTraceLines } from './utils/nx-output';
import { descendantPids } from './utils/process-tree';
import { reportMeasurement } from './utils/openai-plan';
import { analyseRequestLog, openaiGenerator, promptOf, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';
import { cloneScenarioWorkspace } from './utils/workspace-factory';

/**
 * Issue 21: three "machines" (a workspace and two git clones, each with its own HOME, Nx cache and workspace data)
 * share one real redis-server, one loopback remote cache and one loopback OpenAI-compatible server whose limits are
 * counted at the server. Each scenario has its own 14-phase plan (its own app folder, project names and keys).
 */
describe('many machines, one plan, on Redis', () => {
  const scenario = createScenario('many-machines');
  const limits = { maxConcurrentRequests: 2, minDelayBetweenMs: 0, requestsPerMinute: 1000 };
  const plans = ['together', 'killed', 'lost'].map((name) => ({ name, appDir: `apps/${name}` }));
  let redis: RedisServer;
  let cache: RemoteCacheServer;
  let server: OpenAITestServer;
  let machines: E2eWorkspace[];

  beforeAll(async () => {
    redis = await startRedisServer();
    cache = await startRemoteCacheServer();
    ({ server } = await startScenarioServer(scenario.state, 'many-machines', { latencyMs: { min: 150, max: 300 } }));
    for (const { name, appDir } of plans) {
      const plan: PlanDocument = { ...fourteenPhasePlan(name, openaiGenerator(server.url)), rateLimit: limits };
      writePlan(scenario.workspace.root, appDir, plan);
    }
    scenario.workspace.commitAll('three plans');
    machines = [
      scenario.workspace,
      cloneScenarioWorkspace(scenario.state, scenario.workspace, 'many-machines-b', { ownHome: true }),
      cloneScenarioWorkspace(scenario.state, scenario.workspace, 'many-machines-c', { ownHome: true }),
    ];
  });
  afterAll(async () => {
    await server?.close();
    await cache?.close();
    await redis?.stop();
    const leftovers = redis?.leftovers();
    await redis?.dispose();
    expect(leftovers).toEqual([]);
  });

  const env = () => ({ OPENAI_API_KEY: 'e2e-not-a-secret', NX_PHASES_STORE: redis.url, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url });
  const start = (machine: E2eWorkspace, plan: string) =>
    startNx(machine, ['run-many', '-t', 'phase', `--projects=tag:phase-plan:${plan}`, '--outputStyle=static', '--parallel=3'], { env: env(), allowFailure: true });
  const app = (machine: E2eWorkspace, appDir: string) => appStateWithoutTimings(machine.path(appDir));
  const committedPhases = (machine: E2eWorkspace, appDir: string) =>
    readdirSync(machine.path(appDir, '.phases'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && readdirSync(machine.path(appDir, '.phases', entry.name)).includes('manifest.json'))
      .map((entry) => Number(entry.name))
      .sort((a, b) => a - b);
  const phaseOfRequest = (entry: { body: unknown }) => Number(/# Phase (\d+):/.exec(promptOf(entry as never))?.[1]);

  it('the same plan on three machines at once: 14 generator calls in total, limits held at the server, byte-identical apps', async () => {
    const before = server.requests.length;
    const runs = await Promise.all(machines.map((machine) => start(machine, 'together').done));
    const requests = server.requests.slice(before);
    const analysis = analyseRequestLog(requests, limits);
    reportMeasurement('three machines at once', { ...analysis, exitCodes: runs.map((run) => run.status) });
    for (const run of runs) withOutput(run, () => expect(run.status).toBe(0));
    expect(requests.map(phaseOfRequest).sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(analysis.violations.concurrency).toBe(0);
    expect(analysis.maxInFlight).toBeLessThanOrEqual(limits.maxConcurrentRequests);
    const [first, ...others] = machines.map((machine) => app(machine, 'apps/together'));
    expect(Object.keys(first).filter((path) => path.endsWith('manifest.json'))).toHaveLength(14);
    for (const other of others) expect(other).toEqual(first);
  });

  // "In flight on the killed machine" = the phases it had claimed (generating, or generated and not yet committed and
  // published): their claims die with it, so another machine pays for them again.
  it('one machine killed mid-run: the other two finish, paying at most for what was in flight on it', async () => {
    const before = server.requests.length;
    const running = machines.map((machine) => start(machine, 'killed'));
    await until(() => server.requests.length - before >= 3, running); // gate: the run is under way
    const inFlightAtKill = await claimsHeldBy(redis.url, descendantPids(running[2].pid));
    killProcessTree(running[2].pid);
    const [a, b] = await Promise.all(running.slice(0, 2).map((run) => run.done));
    await running[2].done;
    while (server.inFlight() > 0) await new Promise((done) => setTimeout(done, 20));
    const requests = server.requests.slice(before);
    reportMeasurement('one machine killed', { requests: requests.length, inFlightAtKill, violations: analyseRequestLog(requests, limits).violations });
    for (const run of [a, b]) withOutput(run, () => expect(run.status).toBe(0));
    expect(requests.length).toBeLessThanOrEqual(14 + inFlightAtKill);
    expect(new Set(requests.map(phaseOfRequest)).size).toBe(14);
    expect(analyseRequestLog(requests, limits).violations.concurrency).toBe(0);
    expect(app(machines[1], 'apps/killed')).toEqual(app(machines[0], 'apps/killed'));
  });

  it('Redis stopped mid-run: clear failures, no half-written file; a re-run once it is back pays only for what was not committed', async () => {
    const [machine] = machines;
    const before = server.requests.length;
    const running = start(machine, 'lost');
    await until(() => server.requests.length - before >= 4, [running]); // gate: some phases done
    await redis.stop();
    const failed = await running.done;
    const committed = committedPhases(machine, 'apps/lost');
    withOutput(failed, () => {
      expect(failed.status).not.toBe(0);
      expect(failed.output).toContain(`the coordination store Redis at ${redis.url}`);
      expect(committed.length).toBeLessThan(14);
    });
    for (const phase of committed) {
      const manifest = JSON.parse(readFileSync(machine.path('apps/lost/.phases', String(phase), 'manifest.json'), 'utf8'));
      for (const [file, hash] of Object.entries(manifest.files)) {
        expect(sha256(readFileSync(machine.path('apps/lost/.phases', String(phase), 'files', file)))).toBe(hash);
      }
    }
    expect(listAll(machine.path('apps/lost')).filter((path) => /\.tmp|\.nx-phases-/.test(path))).toEqual([]);
    const paidBeforeRefusal = server.requests.length;
    const refused = await start(machine, 'lost').done;
    withOutput(refused, () => {
      expect(refused.status).not.toBe(0);
      expect(refused.output).toContain(`could not reach the coordination store Redis at ${redis.url} (NX_PHASES_STORE)`);
      expect(stackTraceLines(refused.output)).toEqual([]);
      expect(server.requests.length).toBe(paidBeforeRefusal);
      expect(committedPhases(machine, 'apps/lost')).toEqual(committed);
    });
    await redis.start();
    const paidBefore = server.requests.length;
    const rerun = await start(machine, 'lost').done;
    withOutput(rerun, () => expect(rerun.status).toBe(0));
    const paidAgain = server.requests.slice(paidBefore).map(phaseOfRequest);
    reportMeasurement('redis lost mid-run', { committedBeforeLoss: committed, paidOnRerun: paidAgain });
    expect(paidAgain.filter((phase) => committed.includes(phase))).toEqual([]);
    expect(committedPhases(machine, 'apps/lost')).toHaveLength(14);
  });
});

/** How many phase claims in Redis are held by one of `pids` (a machine's process tree). */
async function claimsHeldBy(url: string, pids: number[]): Promise<number> {
  const client = new Redis(url);
  try {
    const keys = await client.keys('nx-phases:claim:*');
    const holders = await Promise.all(keys.map((key) => client.get(key)));
    return holders.filter((value) => value !== null && pids.includes(JSON.parse(value).pid)).length;
  } finally {
    client.disconnect();
  }
}

/** Waits until `ready()` holds, or until every run has ended (then the test's assertions say what went wrong). */
async function until(ready: () => boolean, runs: Array<{ child: { exitCode: number | null; signalCode: string | null } }>): Promise<void> {
  const ended = () => runs.every((run) => run.child.exitCode !== null || run.child.signalCode !== null);
  while (!ready() && !ended()) await new Promise((done) => setTimeout(done, 20));
}

function listAll(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' });
}
