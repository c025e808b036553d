/**
 * LLM plans at the bound (issue 22): real `nx run-many -t phase --parallel=3` with the packed plugin, every phase an
 * `nx-phases:openai` call to a loopback OpenAI-compatible server that answers each request after a fixed latency
 * (default 6 s), the plan's rateLimit in force (3 in flight, 100 ms apart, 50 a minute). Plans: the demo shop's
 * 14-phase shape and a seeded random 30-phase DAG. Modes: the default command, `--batch` and `--no-batch`; then the
 * offline scaffold demo (packages/demo-shop) with the same modes. Every run is a fresh workspace (a first run: no
 * cache, no records). For each LLM run: makespan at the server (first request's arrival to the last answer) against
 * the bound (critical path, or phases / 3 slots when longer, × latency) and against a zero-overhead list schedule of
 * the same answers, time before the first call, after the last answer, and the whole command against the bound.
 *
 *   npx ts-node --transpile-only -P tools/bench/llm-bound/tsconfig.json tools/bench/llm-bound/index.ts \
 *     [--latency-ms=6000] [--only=demo,dag-30,offline] [--modes=default,batch,no-batch] [--repeat=1]
 *     [--generators=openai,command]
 * `--generators=command` runs the same shapes as `nx-phases:command` phases whose command (agent.js) asks the same
 * server once and writes the phase's file: a command phase wrapping an LLM agent (no rateLimit: --parallel=3 only).
 */
import { cpSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startNx } from '../../../packages/nx-phases-e2e/src/utils/nx-async';
import { readRequestLog, startOpenAITestServer } from '../../../packages/nx-phases/src/test-utils/openai-test-server';
import { prepareBenchArea, REPO_ROOT, writePlan, type BenchArea } from '../lib/bench-workspace';
import { boundMs, commandPlanDocument, criticalPathPhases, demoShape, listScheduleMs, openaiPlanDocument, randomShape, type BoundShape } from './plans';

const COMMAND = 'npx ts-node --transpile-only -P tools/bench/llm-bound/tsconfig.json tools/bench/llm-bound/index.ts';
const SLOTS = 3;
const MODES: Record<string, string[]> = { default: [], batch: ['--batch'], 'no-batch': ['--no-batch'] };

/** One measured run. */
interface RunRow {
  plan: string;
  mode: string;
  load: number;
  boundMs?: number;
  /** A zero-overhead list schedule of the same answers (longest remaining path first). */
  scheduleMs?: number;
  serverMs?: number;
  beforeFirstMs?: number;
  afterLastMs?: number;
  wallMs: number;
}

let runCounter = 0;

async function main(): Promise<void> {
  const latencyMs = Number(flag('latency-ms') ?? '6000');
  const only = flag('only')?.split(',') ?? ['demo', 'dag-30', 'offline'];
  const modes = flag('modes')?.split(',') ?? Object.keys(MODES);
  const repeat = Number(flag('repeat') ?? '1');
  const generators = flag('generators')?.split(',') ?? ['openai'];
  for (const generator of generators) if (!['openai', 'command'].includes(generator)) throw new Error(`Unknown generator ${generator}; use openai, command.`);
  for (const mode of modes) if (!MODES[mode]) throw new Error(`Unknown mode ${mode}; use ${Object.keys(MODES).join(', ')}.`);
  const startLoad = loadavg()[0];
  const area = prepareBenchArea('llm-bound');
  const rows: RunRow[] = [];
  try {
    for (let round = 0; round < repeat; round++) {
      for (const shape of [demoShape(REPO_ROOT), randomShape()].filter((s) => only.includes(s.name))) {
        for (const generator of generators) for (const mode of modes) rows.push(await llmRun(area, shape, mode, latencyMs, generator));
      }
      if (only.includes('offline')) for (const mode of modes) rows.push(await offlineRun(area, mode));
    }
  } finally {
    area.dispose();
  }
  console.log(`\n${renderRows(rows)}\n\nlatency ${latencyMs} ms per answer, --parallel=${SLOTS}, ${cpus().length} CPUs, load average ${startLoad.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end, node ${process.version}`);
  console.log(`command: ${[COMMAND, ...process.argv.slice(2)].join(' ')}`);
}

/** One LLM plan run in a fresh workspace against a fresh loopback server. */
async function llmRun(area: BenchArea, shape: BoundShape, mode: string, latencyMs: number, generator: string): Promise<RunRow> {
  const name = `${shape.name}-${generator}-${mode}-${++runCounter}`;
  const logFile = join(area.state.tempRoot, 'logs', `${name}.jsonl`);
  mkdirSync(join(area.state.tempRoot, 'logs'), { recursive: true });
  const server = await startOpenAITestServer({ latencyMs }, { logFile, omitBodies: true });
  try {
    const ws = area.workspace(name);
    const plan = generator === 'command' ? commandPlanDocument(shape, server.url, join(__dirname, 'agent.js')) : openaiPlanDocument(shape, server.url, 'bench-model', SLOTS);
    writePlan(ws, `apps/${shape.name}`, plan);
    ws.commitAll('plan');
    const load = loadavg()[0];
    const started = Date.now();
    const run = await startNx(ws, ['run-many', '-t', 'phase', `--parallel=${SLOTS}`, ...MODES[mode]], { env: { OPENAI_API_KEY: 'bench-not-a-secret' }, killAfterMs: 900_000 }).done;
    const ended = Date.now();
    const log = readRequestLog(logFile);
    if (log.length !== shape.phases.length || log.some((entry) => entry.status !== 200)) {
      throw new Error(`${name}: expected ${shape.phases.length} answered requests, the server logged ${log.length}.\n${run.output}`);
    }
    const firstArrival = Math.min(...log.map((e) => e.arrivedAt));
    const lastAnswer = Math.max(...log.map((e) => e.finishedAt));
    const row: RunRow = { plan: `${shape.name} (${shape.phases.length} ${generator} phases, critical path ${criticalPathPhases(shape.phases)})`, mode, load,
      boundMs: boundMs(shape.phases, latencyMs, SLOTS), scheduleMs: listScheduleMs(shape.phases, latencyMs, SLOTS), serverMs: lastAnswer - firstArrival, beforeFirstMs: firstArrival - started, afterLastMs: ended - lastAnswer, wallMs: ended - started };
    console.log(renderRow(row));
    return row;
  } finally {
    await server.close();
  }
}

/** The offline scaffold demo (packages/demo-shop) in a fresh workspace. */
async function offlineRun(area: BenchArea, mode: string): Promise<RunRow> {
  const ws = area.workspace(`offline-${mode}-${++runCounter}`);
  cpSync(join(REPO_ROOT, 'packages', 'demo-shop', 'phases.json'), ws.path('apps', 'shop', 'phases.json'));
  cpSync(join(REPO_ROOT, 'packages', 'demo-shop', 'docs'), ws.path('apps', 'shop', 'docs'), { recursive: true });
  ws.commitAll('demo plan');
  const load = loadavg()[0];
  const started = Date.now();
  await startNx(ws, ['run-many', '-t', 'phase', `--parallel=${SLOTS}`, ...MODES[mode]], { killAfterMs: 900_000 }).done;
  const row: RunRow = { plan: 'offline demo (14 scaffold phases)', mode, load, wallMs: Date.now() - started };
  console.log(renderRow(row));
  return row;
}

function renderRows(rows: RunRow[]): string {
  return [
    '| plan | mode | load | bound | zero-overhead schedule | makespan at the server | / bound | / schedule | before the first call | after the last answer | whole command | / bound |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(renderRow),
  ].join('\n');
}

function renderRow(r: RunRow): string {
  const s = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);
  const ratio = (ms: number | undefined, to = r.boundMs) => (ms === undefined || !to ? '' : (ms / to).toFixed(3));
  return `| ${r.plan} | ${r.mode} | ${r.load.toFixed(1)} | ${s(r.boundMs)} | ${s(r.scheduleMs)} | ${s(r.serverMs)} | ${ratio(r.serverMs)} | ${ratio(r.serverMs, r.scheduleMs)} | ${s(r.beforeFirstMs)} | ${s(r.afterLastMs)} | ${s(r.wallMs)} | ${ratio(r.wallMs)} |`;
}

function flag(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
