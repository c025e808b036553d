/**
 * Rate-limit benchmark: N processes (default 6) generate phases through the openai generator's
 * request path against the OpenAI test server (a separate process) for a fixed duration (default
 * 2 minutes), all sharing one cross-process limiter. Reports utilisation = achieved / allowed
 * requests per minute (arrivals at the server inside the measured window), and violations of
 * each limit counted from the server's request log.
 *
 *   npx ts-node --transpile-only tools/bench/rate-limit/bench.ts [--duration-ms 120000] [--processes 6]
 *     [--rpm 120] [--max-concurrent 2] [--min-delay-ms 300] [--latency-ms 200-1200] [--json out.json]
 * Every flag can also be given as an environment variable: BENCH_DURATION_MS, BENCH_PROCESSES, …
 * KEEP_BENCH=1 keeps the temp folder (server request log, workers' limiter state), as in every bench.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { analyseRequestLog, readRequestLog } from '../../../packages/nx-phases/src/test-utils/openai-test-server';
import type { BenchWindow, BenchWorkerConfig } from './worker';

const TSCONFIG = join(__dirname, 'tsconfig.json');
const START_DELAY_MS = 500;

/** The benchmark's settings (flags or BENCH_* environment variables). */
interface BenchSettings {
  durationMs: number;
  processes: number;
  rpm: number;
  maxConcurrent: number;
  minDelayMs: number;
  latency: { min: number; max: number };
  json?: string;
}

function setting(flag: string, fallback: string): string {
  const index = process.argv.indexOf(`--${flag}`);
  if (index >= 0) return process.argv[index + 1];
  return process.env[`BENCH_${flag.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

function readSettings(): BenchSettings {
  const [min, max] = setting('latency-ms', '200-1200').split('-').map(Number);
  return {
    durationMs: Number(setting('duration-ms', '120000')),
    processes: Number(setting('processes', '6')),
    rpm: Number(setting('rpm', '120')),
    maxConcurrent: Number(setting('max-concurrent', '2')),
    minDelayMs: Number(setting('min-delay-ms', '300')),
    latency: { min, max: max ?? min },
    json: setting('json', '') || undefined,
  };
}

function spawnTs(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', file, ...args], {
    env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** Read a child's stdout line by line. */
function lineReader(child: ChildProcess): () => Promise<string> {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return async () => {
    const next = await lines.next();
    if (next.done) throw new Error(`process ${child.pid} ended without the expected output`);
    return next.value;
  };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const dir = mkdtempSync(join(tmpdir(), 'nx-phases-bench-'));
  const logFile = join(dir, 'requests.jsonl');
  const scriptFile = join(dir, 'script.json');
  writeFileSync(scriptFile, JSON.stringify({ latencyMs: settings.latency }));
  const server = spawnTs(join(__dirname, '../../../packages/nx-phases/src/test-utils/openai-test-server.ts'), [
    '--script',
    scriptFile,
    '--log',
    logFile,
    '--omit-bodies',
  ]);
  try {
    const { url } = JSON.parse(await lineReader(server)());
    const limits = { maxConcurrentRequests: settings.maxConcurrent, minDelayBetweenMs: settings.minDelayMs, requestsPerMinute: settings.rpm };
    const workers = Array.from({ length: settings.processes }, (_, worker) => {
      const config: BenchWorkerConfig = { worker, workspaceRoot: dir, baseURL: url, model: 'bench-model', limits };
      const child = spawnTs(join(__dirname, 'worker.ts'), [JSON.stringify(config)]);
      return { child, readLine: lineReader(child) };
    });
    await Promise.all(workers.map((worker) => worker.readLine()));
    const startAt = Date.now() + START_DELAY_MS;
    const deadline = startAt + settings.durationMs;
    const window: BenchWindow = { startAt, deadline };
    for (const worker of workers) worker.child.stdin!.end(JSON.stringify(window) + '\n');
    const summaries = await Promise.all(workers.map((worker) => worker.readLine().then((line) => JSON.parse(line))));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = readRequestLog(logFile);
    const measured = log.filter((entry) => entry.arrivedAt >= startAt && entry.arrivedAt < deadline);
    const analysis = analyseRequestLog(log, limits);
    const allowed = (settings.rpm * settings.durationMs) / 60_000;
    const report = {
      settings: { ...settings, json: undefined },
      requests: { measured: measured.length, total: log.length, failed: log.filter((entry) => entry.status !== 200).length },
      allowedInWindow: allowed,
      achievedPerMinute: +((measured.length * 60_000) / settings.durationMs).toFixed(2),
      utilisation: +(measured.length / allowed).toFixed(4),
      maxInFlight: analysis.maxInFlight,
      minGapMs: analysis.minGapMs,
      maxIn60s: analysis.maxInWindow,
      violations: analysis.violations,
      workers: summaries,
    };
    printReport(report);
    if (settings.json) writeFileSync(settings.json, JSON.stringify(report, null, 2) + '\n');
    const bad = Object.values(analysis.violations).some((count) => count > 0);
    process.exitCode = bad ? 1 : 0;
  } finally {
    server.kill('SIGTERM');
    if (process.env.KEEP_BENCH === '1') console.log(`kept the bench folder: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function printReport(report: Record<string, any>): void {
  const s = report.settings as BenchSettings;
  const lines = [
    `nx-phases rate-limit benchmark: ${s.processes} processes, ${s.durationMs / 1000} s, limits ` +
      `{ maxConcurrentRequests: ${s.maxConcurrent}, minDelayBetweenMs: ${s.minDelayMs}, requestsPerMinute: ${s.rpm} }, ` +
      `server latency ${s.latency.min}-${s.latency.max} ms`,
    `requests arrived in window: ${report.requests.measured} (allowed ${report.allowedInWindow}); total ${report.requests.total}, non-200 ${report.requests.failed}`,
    `achieved: ${report.achievedPerMinute} req/min of ${s.rpm} allowed → utilisation ${(report.utilisation * 100).toFixed(1)} %`,
    `peaks: max in flight ${report.maxInFlight} (limit ${s.maxConcurrent}), min gap ${report.minGapMs} ms (limit ${s.minDelayMs}), ` +
      `max in any 60 s window ${report.maxIn60s} (limit ${s.rpm})`,
    `violations: concurrency ${report.violations.concurrency}, spacing ${report.violations.spacing}, window ${report.violations.window}`,
    ...(s.durationMs < 60_000 ? ['note: runs shorter than the 60 s window can exceed 100 % utilisation; use ≥ 120000 ms to measure'] : []),
    `per process: ${report.workers.map((w: any) => `#${w.worker} ${w.completed} ok/${w.failed} failed, waited ${(w.waitMs / 1000).toFixed(1)} s`).join('; ')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
