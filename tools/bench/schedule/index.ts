/**
 * Schedule benchmark: real `nx run-many -t phase` on the demo plan and seeded random DAGs of 20, 50 and 100
 * phases whose command sleeps a seeded 1–4 s (times --scale), at --parallel=1 and --parallel=3. Compares the
 * --parallel=3 makespan with the lower bound, the seed's level-barrier schedule and sequential, using the
 * per-phase durations measured in that run (from the plugin's own .nx/nx-phases/last-run.json).
 *
 *   npx ts-node --transpile-only -P tools/bench/schedule/tsconfig.json tools/bench/schedule/index.ts [--scale=0.3] [--only=demo,dag-20]
 *
 * Writes results/summary.md, results/results.json and one results/<plan>-gantt.svg per plan (full runs only).
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
import { renderTable } from './table';
import { demoWorkload, RANDOM_PLANS, randomWorkload, workloadPlanDocument, type Workload } from './workload';

const RESULTS = join(__dirname, 'results');
const COMMAND = 'npx ts-node --transpile-only -P tools/bench/schedule/tsconfig.json tools/bench/schedule/index.ts';

interface PlanResult {
  comparison: Comparison;
  parallelRun: PlanRunReport;
}

function main(): void {
  const scale = Number(flag('scale') ?? '0.3');
  const only = flag('only')?.split(',');
  const workloads = [demoWorkload(REPO_ROOT, scale), ...RANDOM_PLANS.map((p) => randomWorkload(p.name, p.count, p.seed, scale))]
    .filter((workload) => !only || only.includes(workload.name));
  const started = Date.now();
  const startLoad = loadavg()[0];
  const area = prepareBenchArea('schedule');
  try {
    const script = installPhaseCommand(join(area.state.tempRoot, 'tools', 'phase-command.js'));
    console.log(`Workspace ready after ${((Date.now() - started) / 1000).toFixed(0)} s (build, pack, install).`);
    const results = workloads.map((workload) => measure(createScenarioWorkspace(area.state, workload.name), workload, script, area.state.tempRoot));
    const table = renderTable(results.map((r) => r.comparison));
    const totalSeconds = (Date.now() - started) / 1000;
    const load = `load average ${startLoad.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`;
    console.log(`\n${table}\n\nscale ${scale}, ${cpus().length} CPUs, ${load}, node ${process.version}, total ${totalSeconds.toFixed(0)} s\ncommand: ${COMMAND}`);
    if (!only) writeResults(results, table, `scale ${scale} (phase sleeps 1–4 s × ${scale}), ${machine()}, ${load}, whole benchmark ${totalSeconds.toFixed(0)} s.`);
  } finally {
    area.dispose();
  }
}

/** Runs one workload at --parallel=1 and --parallel=3 (no cache) and compares the runs. */
function measure(ws: E2eWorkspace, workload: Workload, script: string, tempRoot: string): PlanResult {
  const logFile = join(tempRoot, 'logs', `${workload.name}.jsonl`);
  mkdirSync(join(tempRoot, 'logs'), { recursive: true });
  const document = workloadPlanDocument(workload, (sleepMs) => phaseCommandLine(script, logFile, { sleepMs }));
  writePlan(ws, `apps/${workload.name}`, document);
  ws.commitAll('plan');
  ws.nx(['show', 'projects']);
  const sequentialRun = runPhases(ws, workload.name, 1);
  const parallelRun = runPhases(ws, workload.name, 3);
  const comparison = compareRuns(JSON.stringify(document), sequentialRun, parallelRun);
  console.log(`${workload.name}: --parallel=1 ${seconds(sequentialRun.makespanMs)} s, --parallel=3 ${seconds(parallelRun.makespanMs)} s`);
  return { comparison, parallelRun };
}

/** One uncached run of the plan's phases; returns the plan's part of the plugin's last-run report. */
function runPhases(ws: E2eWorkspace, plan: string, parallel: number): PlanRunReport {
  const reportFile = ws.path('.nx', 'nx-phases', 'last-run.json');
  rmSync(reportFile, { force: true });
  ws.runPhases([`--parallel=${parallel}`, '--skip-nx-cache', '-p', `tag:phase-plan:${plan}`]);
  if (!existsSync(reportFile)) throw new Error(`The run wrote no ${reportFile}; is the plugin's postTasksExecution hook exported?`);
  const report = (JSON.parse(readFileSync(reportFile, 'utf8')) as LastRunReport).plans.find((p) => p.plan === plan);
  if (!report || report.counts.ran !== report.phases.length) throw new Error(`Not every phase of ${plan} ran in the --parallel=${parallel} run.`);
  return report;
}

function writeResults(results: PlanResult[], table: string, conditions: string): void {
  mkdirSync(RESULTS, { recursive: true });
  for (const { comparison: c, parallelRun } of results) {
    const svg = renderGanttSvg({
      title: `${c.plan}: nx run-many -t phase --parallel=3 (${c.phases} phases, ${c.levels} levels)`,
      subtitle: `makespan ${seconds(c.makespanPkMs)} s · lower bound ${seconds(c.lowerBoundMs)} s · level-barrier schedule (simulated) ${seconds(c.levelBarrierMs)} s · sequential ${seconds(c.sequentialMs)} s`,
      bars: parallelRun.phases.map((p) => ({ number: p.number, name: p.name, level: p.level, startMs: p.startOffsetMs, durationMs: p.durationMs })),
      markers: [
        { label: `makespan ${seconds(c.makespanPkMs)} s`, ms: c.makespanPkMs },
        { label: `lower bound ${seconds(c.lowerBoundMs)} s`, ms: c.lowerBoundMs },
        { label: `level-barrier ${seconds(c.levelBarrierMs)} s`, ms: c.levelBarrierMs },
      ],
    });
    writeFileSync(join(RESULTS, `${c.plan}-gantt.svg`), svg);
  }
  writeFileSync(join(RESULTS, 'results.json'), `${JSON.stringify(results.map((r) => r.comparison), null, 2)}\n`);
  writeFileSync(
    join(RESULTS, 'summary.md'),
    `# Schedule benchmark\n\n\`${COMMAND}\`\n\n${conditions}\n\n${table}\n\nGantt charts of the --parallel=3 runs: ${results.map((r) => `[${r.comparison.plan}](${r.comparison.plan}-gantt.svg)`).join(', ')}.\n`,
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
