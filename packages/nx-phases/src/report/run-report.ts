import { computeLevels } from '../plan';
import type { PhasePlan } from '../plan/types';
import type { GeneratorUsage, PhaseWait } from '../runtime/phase-generator';
import type { PhaseManifest } from '../runtime/manifest';
import type { MeasuredSpeedUp } from './baseline';
import { criticalPath, makespanLowerBound, type CriticalPath } from './schedule';

/** How one phase task ended in a run. */
export type PhaseRunStatus = 'ran' | 'cache hit' | 'failed' | 'skipped';

/** One phase task of a run, as read from Nx's task results. */
export interface PhaseTaskRun {
  /** Workspace-relative app root (the folder holding `phases.json`). */
  appRoot: string;
  number: number;
  project: string;
  status: PhaseRunStatus;
  startTime?: number;
  endTime?: number;
}

/** One phase in `last-run.json`. */
export interface PhaseRunEntry {
  number: number;
  name: string;
  project: string;
  level: number;
  status: PhaseRunStatus;
  /** Wall-clock time of the task in this run (a cache hit's restore time). */
  durationMs: number;
  /** Offset of the task's start from the plan's first phase start, for timelines. */
  startOffsetMs: number;
  /** Time the committed output originally took to generate (from the manifest; absent when failed). */
  generatedInMs?: number;
  generator?: string;
  usage?: GeneratorUsage;
  /** Rate-limit waits and retries of a phase that ran, in ms from this task's start (its manifest's run ends with the task). */
  waits?: PhaseWait[];
}

/** One plan's part of `last-run.json`. */
export interface PlanRunReport {
  plan: string;
  planFile: string;
  parallel: number;
  counts: Record<PhaseRunStatus, number>;
  phases: PhaseRunEntry[];
  /** First phase start to last phase end. */
  makespanMs: number;
  sumOfDurationsMs: number;
  /**
   * Σ durations / makespan: how many phases were running at once on average. Not a speed-up: under CPU
   * contention every duration stretches and this ratio grows while the run gets no faster.
   */
  averageConcurrency: number;
  /** Measured speed-up against a sequential run of the same phases; absent without such a baseline. */
  speedUp?: MeasuredSpeedUp;
  /** Heaviest dependency chain under this run's durations, in milliseconds. */
  criticalPath: CriticalPath;
  /** max(critical path, sum / parallel): no schedule of these durations on `parallel` workers is faster. */
  lowerBoundMs: number;
  /** lowerBound / makespan: 1 means the run was as fast as these durations allow. */
  efficiency: number;
  /** Generator usage spent in this run (phases that ran). */
  usageSpent: GeneratorUsage;
  /** Generator usage the cache saved (what the restored phases originally cost). */
  usageSavedByCache: GeneratorUsage;
}

/** Maps an Nx task status onto the report's four statuses. */
export function phaseRunStatus(nxStatus: string): PhaseRunStatus {
  if (nxStatus === 'success') return 'ran';
  if (nxStatus.includes('cache')) return 'cache hit';
  if (nxStatus === 'failure') return 'failed';
  return 'skipped';
}

/** Builds one plan's run report from its phase tasks (all of the same app root) and the manifests after the run. */
export function buildPlanRunReport(
  plan: PhasePlan,
  planFile: string,
  runs: PhaseTaskRun[],
  manifests: Map<number, PhaseManifest>,
  parallel: number,
): PlanRunReport {
  const levels = computeLevels(plan);
  const names = new Map(plan.phases.map((phase) => [phase.number, phase.name]));
  const timed = runs.filter((run) => run.startTime !== undefined && run.endTime !== undefined);
  const firstStart = Math.min(...timed.map((run) => run.startTime!));
  const lastEnd = Math.max(...timed.map((run) => run.endTime!));
  const phases = [...runs]
    .sort((a, b) => a.number - b.number)
    .filter((run) => names.has(run.number))
    .map((run) => phaseEntry(run, names.get(run.number)!, levels.get(run.number)!, manifests.get(run.number), firstStart));
  const durations = new Map(phases.map((phase) => [phase.number, phase.durationMs]));
  const makespanMs = timed.length > 0 ? lastEnd - firstStart : 0;
  const sumOfDurationsMs = phases.reduce((sum, phase) => sum + phase.durationMs, 0);
  const path = criticalPath(plan, (number) => durations.get(number) ?? 0);
  const workers = plan.parallel ? parallel : 1;
  const lowerBoundMs = makespanLowerBound(path.length, sumOfDurationsMs, workers);
  return {
    plan: plan.name,
    planFile,
    parallel: workers,
    counts: countStatuses(phases),
    phases,
    makespanMs,
    sumOfDurationsMs,
    averageConcurrency: ratio(sumOfDurationsMs, makespanMs),
    criticalPath: { phases: path.phases.filter((number) => durations.has(number)), length: path.length },
    lowerBoundMs,
    efficiency: ratio(lowerBoundMs, makespanMs),
    usageSpent: sumUsage(phases.filter((phase) => phase.status === 'ran')),
    usageSavedByCache: sumUsage(phases.filter((phase) => phase.status === 'cache hit')),
  };
}

function phaseEntry(run: PhaseTaskRun, name: string, level: number, manifest: PhaseManifest | undefined, firstStart: number): PhaseRunEntry {
  const timed = run.startTime !== undefined && run.endTime !== undefined;
  const committed = manifest && (run.status === 'ran' || run.status === 'cache hit');
  const durationMs = timed ? run.endTime! - run.startTime! : 0;
  const waits = run.status === 'ran' && manifest?.waits && timed ? waitsInTask(manifest, durationMs) : [];
  return {
    number: run.number,
    name,
    project: run.project,
    level,
    status: run.status,
    durationMs,
    startOffsetMs: timed ? run.startTime! - firstStart : 0,
    ...(committed
      ? { generatedInMs: manifest.durationMs, generator: manifest.generator.use, usage: { ...manifest.usage } }
      : {}),
    ...(waits.length > 0 ? { waits } : {}),
  };
}

/** The manifest's waits moved onto the task's clock: its run ended when the task did (process start-up comes first). */
function waitsInTask(manifest: PhaseManifest, taskMs: number): PhaseWait[] {
  const shift = Math.max(0, taskMs - manifest.durationMs);
  const clamp = (ms: number) => Math.min(taskMs, Math.max(0, ms + shift));
  return manifest.waits!.map((wait) => ({ kind: wait.kind, fromMs: clamp(wait.fromMs), toMs: clamp(wait.toMs) })).filter((wait) => wait.toMs > wait.fromMs);
}

function countStatuses(phases: PhaseRunEntry[]): Record<PhaseRunStatus, number> {
  const counts: Record<PhaseRunStatus, number> = { ran: 0, 'cache hit': 0, failed: 0, skipped: 0 };
  for (const phase of phases) counts[phase.status]++;
  return counts;
}

function sumUsage(phases: PhaseRunEntry[]): GeneratorUsage {
  const total: GeneratorUsage = { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 };
  for (const usage of phases.map((phase) => phase.usage).filter((u): u is GeneratorUsage => u !== undefined)) {
    for (const key of Object.keys(total) as Array<keyof GeneratorUsage>) total[key] += usage[key] ?? 0;
  }
  return total;
}

/** a / b rounded to 2 decimals; 0 when b is 0. */
function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 100) / 100 : 0;
}
