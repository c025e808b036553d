/**
 * Schedule benchmark: real `nx run-many -t phase` on the demo plan and seeded random DAGs of 20, 50 and 100
 * phases whose command sleeps a seeded 1–4 s (times --scale), at --parallel=1 and --parallel=3, and with
 * `--batch --parallel=3` (one worker process). Compares each --parallel=3 makespan with the lower bound, the
 * seed's level-barrier schedule and sequential, using the per-phase durations measured in that run (from the
 * plugin's own .nx/nx-phases/last-run.json), and the whole command's wall time with and without --batch.
 *
 *   npx ts-node --transpile-only -P tools/bench/schedule/tsconfig.json tools/bench/schedule/index.ts [--scale=0.3] [--only=demo,dag-20] [--no-batch]
 *
 * Writes results/summary.md, results/results.json and one results/<plan>-gantt.svg per plan (full runs only;
 * `--scale` other than 0.3 writes results/scale-<scale>/ instead).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { E2eWorkspace } from '../../../packages/nx-phases-e2e/src/utils/e2e-workspace';
import { createScenarioWorkspace } from '../../../packages/nx-phases-e2e/src/utils/workspace-factory';
import { installPhaseCommand, phaseCommandLine } from '../../../packages/nx-phases-e2e/src/utils/phase-command';
import type { LastRunReport } from '../../../packages/nx-phases/src/plugin/post-tasks-execution';
import type { PlanRunReport } from '../../../packages/nx-phases/src/report/run-report';
import { prepareBenchArea, REPO_ROOT, writePlan } from '../lib/bench-workspace';
import { compareRuns, type Comparison } from './compare';
import { renderGanttSvg } from './gantt-svg';
import { renderTable, renderWallTable } from './table';
import { demoWorkload, RANDOM_PLANS, randomWorkload, workloadPlanDocument, type Workload } from './workload';

const RESULTS = join(__dirname, 'results');
const COMMAND = 'npx ts-node --transpile-only -P tools/bench/schedule/tsconfig.json tools/bench/schedule/index.ts';

interface PlanResult {
  comparison: Comparison;
  parallelRun: PlanRunReport;
  /** The same plan with --batch --parallel=3 (absent with --no-batch). */
  batch?: { comparison: Comparison; parallelRun: PlanRunReport };
  /** Wall time of the whole `nx run-many` command (ms): plain and --batch, both --parallel=3. */
  wallMs: { plain: number; batch?: number };
}

function main(): void {
  const scale = Number(flag('scale') ?? '0.3');
  const only = flag('only')?.split(',');
  const withBatch = !process.argv.includes('--no-batch');
  const workloads = [demoWorkload(REPO_ROOT, scale), ...RANDOM_PLANS.map((p) => randomWorkload(p.name, p.count, p.seed, scale))]
    .filter((workload) => !only || only.includes(workload.name));
  const started = Date.now();
  const startLoad = loadavg()[0];
  const area = prepareBenchArea('schedule');
  try {
    const script = installPhaseCommand(join(area.state.tempRoot, 'tools', 'phase-command.js'));
    console.log(`Workspace ready after ${((Date.now() - started) / 1000).toFixed(0)} s (build, pack, install).`);
    const results = workloads.map((workload) => measure(createScenarioWorkspace(area.state, workload.name), workload, script, area.state.tempRoot, withBatch));
    const batched = results.filter((r) => r.batch).map((r) => ({ ...r.batch!.comparison, plan: `${r.comparison.plan} --batch` }));
    const table = [
      renderTable(results.map((r) => r.comparison).flatMap((plain) => [plain, ...batched.filter((b) => b.plan === `${plain.plan} --batch`)])),
      ...(withBatch ? ['', renderWallTable(results.map((r) => ({ plan: r.comparison.plan, plainMs: r.wallMs.plain, batchMs: r.wallMs.batch! })))] : []),
    ].join('\n');
    const totalSeconds = (Date.now() - started) / 1000;
    const load = `load average ${startLoad.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`;
    console.log(`\n${table}\n\nscale ${scale}, ${cpus().length} CPUs, ${load}, node ${process.version}, total ${totalSeconds.toFixed(0)} s\ncommand: ${[COMMAND, ...process.argv.slice(2)].join(' ')}`);
    const folder = scale === 0.3 ? RESULTS : join(RESULTS, `scale-${scale}`);
    if (!only) writeResults(folder, results, table, `scale ${scale} (phase sleeps 1–4 s × ${scale}), ${machine()}, ${load}, whole benchmark ${totalSeconds.toFixed(0)} s.`);
  } finally {
    area.dispose();
  }
}

/** Runs one workload at --parallel=1 and --parallel=3 (no cache), then with --batch --parallel=3, and compares the runs. */
function measure(ws: E2eWorkspace, workload: Workload, script: string, tempRoot: string, withBatch: boolean): PlanResult {
  const logFile = join(tempRoot, 'logs', `${workload.name}.jsonl`);
  mkdirSync(join(tempRoot, 'logs'), { recursive: true });
  const document = workloadPlanDocument(workload, (sleepMs) => phaseCommandLine(script, logFile, { sleepMs }));
  writePlan(ws, `apps/${workload.name}`, document);
  ws.commitAll('plan');
  ws.nx(['show', 'projects']);
  const sequentialRun = runPhases(ws, workload.name, 1).report;
  const { report: parallelRun, wallMs } = runPhases(ws, workload.name, 3);
  const comparison = compareRuns(JSON.stringify(document), sequentialRun, parallelRun);
  console.log(`${workload.name}: --parallel=1 ${seconds(sequentialRun.makespanMs)} s, --parallel=3 ${seconds(parallelRun.makespanMs)} s (wall ${seconds(wallMs)} s)`);
  if (!withBatch) return { comparison, parallelRun, wallMs: { plain: wallMs } };
  const batched = runPhases(ws, workload.name, 3, ['--batch']);
  const batch = { comparison: compareRuns(JSON.stringify(document), sequentialRun, batched.report), parallelRun: batched.report };
  console.log(`${workload.name}: --batch --parallel=3 ${seconds(batched.report.makespanMs)} s (wall ${seconds(batched.wallMs)} s)`);
  return { comparison, parallelRun, batch, wallMs: { plain: wallMs, batch: batched.wallMs } };
}

/** One uncached run of the plan's phases; returns the plan's part of the plugin's last-run report and the command's wall time. */
function runPhases(ws: E2eWorkspace, plan: string, parallel: number, extraArgs: string[] = []): { report: PlanRunReport; wallMs: number } {
  const reportFile = ws.path('.nx', 'nx-phases', 'last-run.json');
  rmSync(reportFile, { force: true });
  const started = Date.now();
  ws.runPhases([`--parallel=${parallel}`, '--skip-nx-cache', '-p', `tag:phase-plan:${plan}`, ...extraArgs]);
  const wallMs = Date.now() - started;
  if (!existsSync(reportFile)) throw new Error(`The run wrote no ${reportFile}; is the plugin's postTasksExecution hook exported?`);
  const report = (JSON.parse(readFileSync(reportFile, 'utf8')) as LastRunReport).plans.find((p) => p.plan === plan);
  if (!report || report.counts.ran !== report.phases.length) throw new Error(`Not every phase of ${plan} ran in the --parallel=${parallel} ${extraArgs.join(' ')} run.`);
  return { report, wallMs };
}

function writeResults(folder: string, results: PlanResult[], table: string, conditions: string): void {
  mkdirSync(folder, { recursive: true });
  const charts = results.flatMap((r) => [
    { c: r.comparison, parallelRun: r.parallelRun, file: `${r.comparison.plan}-gantt.svg`, mode: '' },
    ...(r.batch ? [{ c: r.batch.comparison, parallelRun: r.batch.parallelRun, file: `${r.comparison.plan}-batch-gantt.svg`, mode: ' --batch' }] : []),
  ]);
  for (const { c, parallelRun, file, mode } of charts) {
    const svg = renderGanttSvg({
      title: `${c.plan}: nx run-many -t phase --parallel=3${mode} (${c.phases} phases, ${c.levels} levels)`,
      subtitle: `makespan ${seconds(c.makespanPkMs)} s · lower bound ${seconds(c.lowerBoundMs)} s · level-barrier schedule (simulated) ${seconds(c.levelBarrierMs)} s · sequential ${seconds(c.sequentialMs)} s`,
      bars: parallelRun.phases.map((p) => ({ number: p.number, name: p.name, level: p.level, startMs: p.startOffsetMs, durationMs: p.durationMs })),
      markers: [
        { label: `makespan ${seconds(c.makespanPkMs)} s`, ms: c.makespanPkMs },
        { label: `lower bound ${seconds(c.lowerBoundMs)} s`, ms: c.lowerBoundMs },
        { label: `level-barrier ${seconds(c.levelBarrierMs)} s`, ms: c.levelBarrierMs },
      ],
    });
    writeFileSync(join(folder, file), svg);
  }
  const json = results.map((r) => ({ ...r.comparison, wallMs: r.wallMs, ...(r.batch ? { batch: r.batch.comparison } : {}) }));
  writeFileSync(join(folder, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(
    join(folder, 'summary.md'),
    `# Schedule benchmark\n\n\`${COMMAND}\`\n\n${conditions}\n\n${table}\n\nGantt charts of the --parallel=3 runs: ${charts.map((chart) => `[${chart.c.plan}${chart.mode}](${chart.file})`).join(', ')}.\n`,
  );
}

function machine(): string {
  return `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`;
}

function flag(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

main();
