/**
 * Orchestration overhead per phase: real `nx run-many -t phase` on the packed plugin in a temp workspace.
 *   npx ts-node --transpile-only tools/bench/overhead/index.ts
 * 1. 30 phases whose command does nothing, at --parallel=1 and --parallel=3 (no cache).
 * 2. A 100-phase full-cache re-run.
 * 3. Batch mode (`--batch`): the same zero-work plans in one worker process, and the offline demo shop
 *    (packages/demo-shop, scaffold generator) with and without `--batch`.
 * 4. The cost of durable commits (fsync on / off), in-process (durable-commit.ts).
 * Every phase goes through the whole executor: snapshot, generator (a `true` command), validation, commit.
 * `--in-repo` (instead of all the above): this repository as a developer gets it (issue 8 item 5), a real
 * `git clone` of its committed HEAD plus `npm ci`, where the plugin runs through tools/dev-plugin, against the
 * packed plugin: the same 30 phases in both, runs interleaved, medians; `nx show projects` on a 1,000-phase plan.
 * Everything it writes (the plans too) lives in the bench's temp folder, never in this checkout.
 *   npx ts-node --transpile-only tools/bench/overhead/index.ts --in-repo
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { prepareBenchArea, REPO_ROOT, seconds, writePlan, type BenchArea } from '../lib/bench-workspace';
import { formatDurableCommits, measureDurableCommits } from './durable-commit';
import type { E2eWorkspace } from '../../../packages/nx-phases-e2e/src/utils/e2e-workspace';
import { cloneRepository } from '../../../packages/nx-phases-e2e/src/utils/workspace-factory';

/** A layered DAG of `count` phases, 3 wide, each depending on up to two phases of the previous layer. */
function zeroWorkPlan(name: string, count: number): object {
  const phases = Array.from({ length: count }, (_, i) => {
    const number = i + 1;
    const layerStart = Math.floor(i / 3) * 3;
    const dependencies = layerStart === 0 ? [] : [layerStart - 2, layerStart].filter((n) => n >= 1 && n <= i);
    return { number, name: `Phase ${number}`, domain: 'feature', dependencies, plannedFiles: [] };
  });
  return { name, generator: { use: 'nx-phases:command', options: { command: 'true' } }, phases };
}

/**
 * Nx's own floor: 30 projects whose forked executor returns at once (a tiny local executor package),
 * so the per-phase numbers can be read against what any forked Nx task costs here.
 */
function noopBaseline(ws: E2eWorkspace): number {
  const pkg = ws.path('tools', 'noop-executor');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'noop-executor', version: '1.0.0', executors: './executors.json' }));
  writeFileSync(join(pkg, 'executors.json'), JSON.stringify({ executors: { noop: { implementation: './noop.js', schema: './schema.json' } } }));
  writeFileSync(join(pkg, 'schema.json'), JSON.stringify({ type: 'object', properties: {} }));
  writeFileSync(join(pkg, 'noop.js'), 'exports.default = async () => ({ success: true });\n');
  for (let i = 1; i <= 30; i++) {
    const root = ws.path('noop', `p${i}`);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'project.json'), JSON.stringify({ name: `noop-${i}`, targets: { noop: { executor: './tools/noop-executor:noop' } } }));
  }
  ws.commitAll('noop projects');
  ws.nx(['run-many', '-t', 'noop', '--parallel=1', '--skip-nx-cache']);
  return seconds(() => ws.nx(['run-many', '-t', 'noop', '--parallel=1', '--skip-nx-cache']));
}

function run(ws: E2eWorkspace, args: string[]): number {
  return seconds(() => ws.runPhases(args));
}

/** The median of some values. */
function medianOf(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Median of `times` runs of a step (seconds). */
function median(times: number, step: () => number): number {
  return medianOf(Array.from({ length: times }, step));
}

/**
 * Batch mode rows: the zero-work plans through one worker, and the offline demo with and without --batch.
 * The marginal cost per phase is the slope between the 30- and 100-phase batch runs (start-up and the worker's
 * fork cancel out).
 */
function batchRows(small: E2eWorkspace, large: E2eWorkspace, demo: E2eWorkspace, startup: number): Array<readonly [string, number, string]> {
  run(small, ['--batch', '--parallel=3', '--skip-nx-cache']); // warm
  const batchSequential = median(3, () => run(small, ['--batch', '--parallel=1', '--skip-nx-cache']));
  const batchParallel = median(3, () => run(small, ['--batch', '--parallel=3', '--skip-nx-cache']));
  const batchLarge = median(3, () => run(large, ['--batch', '--parallel=3', '--skip-nx-cache']));
  const slope = (batchLarge - batchParallel) / 70;
  cpSync(join(REPO_ROOT, 'packages', 'demo-shop', 'phases.json'), demo.path('apps', 'shop', 'phases.json'));
  cpSync(join(REPO_ROOT, 'packages', 'demo-shop', 'docs'), demo.path('apps', 'shop', 'docs'), { recursive: true });
  demo.commitAll('demo plan');
  run(demo, ['--parallel=3', '--skip-nx-cache']); // warm
  const demoPlain = median(3, () => run(demo, ['--parallel=3', '--skip-nx-cache']));
  const demoBatch = median(3, () => run(demo, ['--batch', '--parallel=3', '--skip-nx-cache']));
  return [
    ['30 zero-work phases, --batch --parallel=1 (median of 3)', batchSequential, `${((batchSequential - startup) / 30).toFixed(3)} s/phase after start-up`],
    ['30 zero-work phases, --batch --parallel=3 (median of 3)', batchParallel, `${((batchParallel - startup) / 30).toFixed(3)} s/phase after start-up`],
    ['100 zero-work phases, --batch --parallel=3 (median of 3)', batchLarge, `${((batchLarge - startup) / 100).toFixed(3)} s/phase after start-up; marginal ${slope.toFixed(3)} s/phase (goal ≤ 0.1)`],
    ['offline demo (14 scaffold phases), --parallel=3 (median of 3)', demoPlain, ''],
    ['offline demo (14 scaffold phases), --batch --parallel=3 (median of 3)', demoBatch, `${(demoPlain / demoBatch).toFixed(2)}× faster than without --batch`],
  ];
}

/** One workspace's 30-phase figures (wall-clock seconds). */
interface ThirtyPhases {
  startup: number;
  sequential: number;
  parallel: number;
}

/** Writes the 30-phase plan, measures start-up (`nx show projects`) and warms the file system and the graph cache. */
function prepareThirty(ws: E2eWorkspace, appRoot: string, extraArgs: string[] = []): number {
  writePlan(ws, appRoot, zeroWorkPlan('thirty', 30));
  ws.commitAll('plan');
  const startup = seconds(() => ws.nx(['show', 'projects']));
  run(ws, ['--parallel=3', '--skip-nx-cache', ...extraArgs]);
  return startup;
}

/** The 30 zero-work phases in a workspace: start-up, a warm-up run, then --parallel=1 and 3 (no cache). */
function measureThirty(ws: E2eWorkspace, appRoot: string): ThirtyPhases {
  const startup = prepareThirty(ws, appRoot);
  const sequential = run(ws, ['--parallel=1', '--skip-nx-cache']);
  const parallel = run(ws, ['--parallel=3', '--skip-nx-cache']);
  return { startup, sequential, parallel };
}

/** `nx show projects` over a 1,000-phase plan, once to fill the createNodes cache, then measured. */
function showThousand(ws: E2eWorkspace, appRoot: string): number {
  writePlan(ws, appRoot, zeroWorkPlan('thousand', 1000));
  ws.nx(['show', 'projects']);
  return seconds(() => ws.nx(['show', 'projects']));
}

/** Rounds of the interleaved packed / in-repo comparison (medians are taken over them). */
const IN_REPO_ROUNDS = 3;

/**
 * CPU seconds (user + system) of every finished child process of this one, and their waited-for children
 * (Linux /proc/self/stat fields cutime and cstime). Unlike wall time it hardly moves with the machine's load.
 */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

/** The kernel's clock ticks per second (`getconf CLK_TCK`), the unit of /proc's CPU times. */
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** One side of the packed / in-repo comparison and its samples (wall and CPU seconds, by --parallel). */
interface ComparisonSide {
  label: string;
  ws: E2eWorkspace;
  startup: number;
  /** CPU seconds of `nx show projects` (start-up) in this workspace. */
  startupCpu: number;
  wall: Record<1 | 3, number[]>;
  cpu: Record<1 | 3, number[]>;
}

/**
 * This repository's own workspace against the packed plugin, in one run: a clone with `npm ci` whose dev build
 * is made before timing starts (as any earlier nx command in it would have). Both workspaces run only the
 * 30-phase plan (its phases and its aggregate target: the clone also holds the demo shop), and their runs
 * alternate, `IN_REPO_ROUNDS` each, so a change in the machine's load hits both sides alike; medians of wall
 * time and of the CPU time of the whole nx process tree, per phase after each workspace's start-up.
 */
function inRepoRows(area: BenchArea, packedWs: E2eWorkspace): Array<readonly [string, number, string]> {
  const clone = cloneRepository(area.state, REPO_ROOT, 'repo-clone');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(clone.path('tools', 'dev-plugin', 'build.js')) as { createDevBuild(root: string): { ensureBuilt(): string } }).createDevBuild(clone.root).ensureBuilt();
  const onlyThirty = ['--projects=thirty,tag:phase-plan:thirty'];
  const side = (label: string, ws: E2eWorkspace, appRoot: string): ComparisonSide => {
    const startup = prepareThirty(ws, appRoot, onlyThirty);
    const cpuBefore = childCpuSeconds();
    ws.nx(['show', 'projects']);
    return { label, ws, startup, startupCpu: childCpuSeconds() - cpuBefore, wall: { 1: [], 3: [] }, cpu: { 1: [], 3: [] } };
  };
  const sides = [side('packed', packedWs, 'app'), side('in-repo', clone, 'packages/bench-thirty')];
  for (let round = 0; round < IN_REPO_ROUNDS; round++) {
    for (const parallel of [1, 3] as const) {
      for (const s of round % 2 === 0 ? sides : [...sides].reverse()) {
        const cpuBefore = childCpuSeconds();
        s.wall[parallel].push(run(s.ws, [`--parallel=${parallel}`, '--skip-nx-cache', ...onlyThirty]));
        s.cpu[parallel].push(childCpuSeconds() - cpuBefore);
      }
    }
  }
  const [packed, repo] = sides;
  const perPhase = (values: number[], startup = 0) => (medianOf(values) - startup) / 30;
  const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
  const all = (values: number[]) => values.map((v) => v.toFixed(1)).join(', ');
  const rows: Array<readonly [string, number, string]> = [];
  for (const s of sides) {
    rows.push([`${s.label}: nx start-up (nx show projects)`, s.startup, `CPU ${s.startupCpu.toFixed(2)} s`]);
    for (const parallel of [1, 3] as const) {
      rows.push([
        `${s.label}: 30 zero-work phases, --parallel=${parallel} (median of ${IN_REPO_ROUNDS})`,
        medianOf(s.wall[parallel]),
        `${perPhase(s.wall[parallel], s.startup).toFixed(3)} s/phase after start-up; CPU ${perPhase(s.cpu[parallel], s.startupCpu).toFixed(3)} s/phase after start-up; runs ${all(s.wall[parallel])}`,
      ]);
    }
  }
  for (const parallel of [1, 3] as const) {
    const wall = perPhase(repo.wall[parallel], repo.startup) - perPhase(packed.wall[parallel], packed.startup);
    const cpu = perPhase(repo.cpu[parallel], repo.startupCpu) - perPhase(packed.cpu[parallel], packed.startupCpu);
    rows.push([`in-repo minus packed, s/phase after start-up, --parallel=${parallel}`, wall, `wall ${signed(wall)} s/phase, CPU ${signed(cpu)} s/phase (goal: within 0.1 s)`]);
  }
  const packedThousand = showThousand(area.workspace('thousand'), 'app');
  const repoThousand = showThousand(clone, 'packages/bench-thousand');
  rows.push(
    ['in-repo minus packed: nx start-up', repo.startup - packed.startup, ''],
    ['packed: nx show projects, 1,000-phase plan', packedThousand, ''],
    ['in-repo: nx show projects, 1,000-phase plan', repoThousand, `packed ${signed(repoThousand - packedThousand)} s`],
  );
  return rows;
}

/** The rows of the 30 zero-work phases on the packed plugin. */
function thirtyRows({ startup, sequential, parallel }: ThirtyPhases) {
  type Row = readonly [string, number, string];
  return {
    startup: ['nx start-up (nx show projects, 30-phase workspace)', startup, ''] as Row,
    sequential: ['30 zero-work phases, --parallel=1', sequential, `${(sequential / 30).toFixed(3)} s/phase, ${((sequential - startup) / 30).toFixed(3)} s/phase after start-up`] as Row,
    parallel: ['30 zero-work phases, --parallel=3', parallel, `${(parallel / 30).toFixed(3)} s/phase, ${((parallel - startup) / 30).toFixed(3)} s/phase after start-up`] as Row,
  };
}

/** Prints the table with the command that produced it and the load average before and after. */
function printRows(rows: ReadonlyArray<readonly [string, number, string]>, loadAtStart: number): void {
  console.log('\nnx-phases orchestration overhead (wall clock, seconds)');
  console.log(`command: npx ts-node --transpile-only tools/bench/overhead/index.ts ${process.argv.slice(2).join(' ')}\n`);
  for (const [label, value, note] of rows) console.log(`${label.padEnd(70)} ${value.toFixed(2).padStart(7)}  ${note}`);
  console.log(`\nload average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`);
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  const area = prepareBenchArea('overhead');
  try {
    const small = area.workspace('thirty');
    if (process.argv.includes('--in-repo')) {
      printRows(inRepoRows(area, small), loadAtStart);
      return;
    }
    const packed = measureThirty(small, 'app');
    const thirty = thirtyRows(packed);

    const baseline = noopBaseline(area.workspace('baseline'));

    const large = area.workspace('hundred');
    writePlan(large, 'app', zeroWorkPlan('hundred', 100));
    large.commitAll('plan');
    run(large, ['--parallel=3']);
    const fullCache = run(large, ['--parallel=3']);

    printRows(
      [
        thirty.startup,
        ['Nx floor: 30 forked no-op executor tasks, --parallel=1', baseline, `${(baseline / 30).toFixed(3)} s/task: any forked Nx task costs this here`],
        thirty.sequential,
        thirty.parallel,
        ['100 phases, full-cache re-run, --parallel=3', fullCache, 'goal ≤ 3 s'],
        ...batchRows(small, large, area.workspace('demo'), packed.startup),
      ],
      loadAtStart,
    );
    console.log(`\n${formatDurableCommits(await measureDurableCommits()).join('\n')}`);
  } finally {
    area.dispose();
  }
}

void main();
