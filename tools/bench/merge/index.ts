/**
 * Merge benchmark (issue 9): what declaring the shared wiring files mergeable buys, on the demo plan and on a
 * 24-phase plan in which every feature phase registers a route and adds an npm dependency. For each plan, once
 * with those files owned (conflict resolution orders their planners one after another) and once mergeable:
 * the conflict edges and the critical path (from the plan core), and the makespan of a real
 * `nx run-many -t phase -p <plan> --parallel=3 --skip-nx-cache` with the packed plugin, every phase a
 * `nx-phases:command` generator (the e2e phase command) sleeping a seeded 1–4 s × --scale as simulated generator
 * latency. The run includes the plan's aggregate target, so the mergeable runs pay for the merge too.
 *
 *   npx ts-node --transpile-only -P tools/bench/merge/tsconfig.json tools/bench/merge/index.ts [--scale=1] [--static]
 *
 * --static prints the plan-core figures and the simulation only (no Nx run). A full run writes
 * results/summary.md and results/results.json.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { E2eWorkspace } from '../../../packages/nx-phases-e2e/src/utils/e2e-workspace';
import { createScenarioWorkspace } from '../../../packages/nx-phases-e2e/src/utils/workspace-factory';
import { installPhaseCommand, phaseCommandLine } from '../../../packages/nx-phases-e2e/src/utils/phase-command';
import type { LastRunReport } from '../../../packages/nx-phases/src/plugin/post-tasks-execution';
import { prepareBenchArea, REPO_ROOT, writePlan } from '../lib/bench-workspace';
import { workloadPlanDocument, type Workload } from '../schedule/workload';
import { missingContributions } from './check-merged';
import { demoPair, planFigures, routesPair } from './plans';
import { renderMergeTable, renderRatios, type VariantResult } from './table';

const RESULTS = join(__dirname, 'results');
const COMMAND = 'npx ts-node --transpile-only -P tools/bench/merge/tsconfig.json tools/bench/merge/index.ts';
const PARALLEL = 3;

function main(): void {
  const scale = Number(flag('scale') ?? '1');
  const staticOnly = process.argv.includes('--static');
  const pairs = [demoPair(REPO_ROOT, scale), routesPair(scale)];
  const variants = pairs.flatMap((pair) => [
    { plan: pair.name, files: 'owned' as const, workload: pair.owned },
    { plan: pair.name, files: 'mergeable' as const, workload: pair.merged },
  ]);
  const started = Date.now();
  const startLoad = loadavg()[0];
  let rows: VariantResult[] = variants.map((v) => ({ plan: v.plan, files: v.files, figures: planFigures(v.workload, PARALLEL) }));
  if (!staticOnly) {
    const area = prepareBenchArea('merge');
    try {
      const script = installPhaseCommand(join(area.state.tempRoot, 'tools', 'phase-command.js'));
      console.log(`Workspace ready after ${((Date.now() - started) / 1000).toFixed(0)} s (build, pack, install).`);
      rows = variants.map((v, i) => ({ ...rows[i], measured: measure(createScenarioWorkspace(area.state, v.workload.name), v.workload, script, area.state.tempRoot) }));
    } finally {
      area.dispose();
    }
  }
  const table = `${renderMergeTable(rows, PARALLEL)}\n\n${renderRatios(rows)}`;
  const load = `load average ${startLoad.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`;
  const conditions = `scale ${scale} (phase latency 1–4 s × ${scale}), --parallel=${PARALLEL}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${load}, whole benchmark ${((Date.now() - started) / 1000).toFixed(0)} s`;
  console.log(`\n${table}\n\n${conditions}\ncommand: ${COMMAND}`);
  if (!staticOnly) writeResults(rows, table, conditions);
}

/** Runs one variant's plan (every phase and its aggregate target) uncached at --parallel=3; checks the merged files. */
function measure(ws: E2eWorkspace, workload: Workload, script: string, tempRoot: string): { makespanMs: number; wallMs: number } {
  const logFile = join(tempRoot, 'logs', `${workload.name}.jsonl`);
  mkdirSync(join(tempRoot, 'logs'), { recursive: true });
  const appRoot = `apps/${workload.name}`;
  writePlan(ws, appRoot, workloadPlanDocument(workload, (sleepMs) => phaseCommandLine(script, logFile, { sleepMs })));
  ws.commitAll('plan');
  ws.nx(['show', 'projects']);
  const reportFile = ws.path('.nx', 'nx-phases', 'last-run.json');
  rmSync(reportFile, { force: true });
  const started = Date.now();
  const run = ws.runPhases([`--parallel=${PARALLEL}`, '--skip-nx-cache', '-p', workload.name]);
  const wallMs = Date.now() - started;
  if (!existsSync(reportFile)) throw new Error(`The run wrote no ${reportFile}; is the plugin's postTasksExecution hook exported?`);
  const report = (JSON.parse(readFileSync(reportFile, 'utf8')) as LastRunReport).plans.find((p) => p.plan === workload.name);
  if (!report || report.counts.ran !== workload.phases.length) throw new Error(`Not every phase of ${workload.name} ran:\n${run.output}`);
  if (!run.assembled.includes(workload.name)) throw new Error(`The aggregate target of ${workload.name} did not run:\n${run.output}`);
  const missing = missingContributions(ws.path(appRoot), workload);
  if (missing.length > 0) throw new Error(`The merged files of ${workload.name} lack contributions: ${missing.join(', ')}`);
  console.log(`${workload.name}: makespan ${(report.makespanMs / 1000).toFixed(1)} s, wall ${(wallMs / 1000).toFixed(1)} s`);
  return { makespanMs: report.makespanMs, wallMs };
}

function writeResults(rows: VariantResult[], table: string, conditions: string): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
  writeFileSync(join(RESULTS, 'summary.md'), `# Merge benchmark\n\n\`${COMMAND}\`\n\n${conditions}.\n\n${table}\n`);
}

function flag(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
}

main();
