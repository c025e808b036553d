import { PRICE_TABLE_DATE, sumRunCost, type PhaseCost, type RunCost } from '../cost';
import { computeLevels } from '../plan';
import type { PhasePlan } from '../plan/types';
import type { GeneratorUsage, PhaseWait } from '../runtime/phase-generator';
import type { PhaseManifest } from '../runtime/manifest';
import type { PhaseRunRecord } from '../runtime/run-records';
import type { AttemptSegment, CheckRecord } from '../runtime/pipeline/state';
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
  /** A failed phase's generator usage and waits (from its run record; it committed no manifest). */
  usage?: GeneratorUsage;
  /** A failed phase's calls' cost (from its run record). */
  cost?: PhaseCost;
  waits?: PhaseWait[];
  /** A failed phase's check runs, segments and last diagnostics (from its run record). */
  checks?: CheckRecord[];
  segments?: AttemptSegment[];
  diagnostics?: string[];
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
  /**
   * Offset of the task's start from the plan's first phase start, for timelines. A skipped phase never started:
   * its offset is when the last of its dependencies ended (the moment it was blocked), its duration 0.
   */
  startOffsetMs: number;
  /** Time the committed output originally took to generate (from the manifest; absent when failed). */
  generatedInMs?: number;
  generator?: string;
  /** From the manifest, or for a failed phase from its run record (what its attempts spent). */
  usage?: GeneratorUsage;
  /** What its calls cost (manifest, or a failed phase's run record); for a cache hit, what the cache saved. */
  cost?: PhaseCost;
  /** Rate-limit waits and retries of a phase that ran or failed, in ms from this task's start. */
  waits?: PhaseWait[];
  /**
   * Generator attempts (1 + repairs): behind the committed result (the manifest's `checks`), or what a phase that
   * failed its check tried (its run record); absent without a check.
   */
  attempts?: number;
  /** Each check run of a phase that ran or failed in this run: passed, duration, diagnostics count. */
  checks?: CheckRecord[];
  /** Generate, check and repair stretches of a phase that ran or failed, in ms from this task's start. */
  segments?: AttemptSegment[];
  /** A phase that failed its check: the first diagnostics of its last check (`file:line:col message`). */
  lastDiagnostics?: string[];
}

/** How the phases that ran their check in this run fared: first pass, repaired, or failed their check. */
export interface CheckQuality {
  /** Phases that ran their check in this run (committed, or failed at the check). */
  checked: number;
  /** Passed on their first attempt. */
  firstPass: number;
  /** Passed after one or more repairs. */
  repaired: number;
  /** Still failing after their last attempt (nothing committed). */
  failed: number;
  /** Generator attempts in all (first attempts plus repairs). */
  attempts: number;
  /** firstPass / checked. */
  firstPassRate: number;
  /** (repaired + failed) / checked: the share of phases that needed a repair, the retry rate. */
  retryRate: number;
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
  /** Generator usage spent in this run (phases that ran or failed: failed attempts cost too). */
  usageSpent: GeneratorUsage;
  /** Generator usage the cache saved (what the restored phases originally cost). */
  usageSavedByCache: GeneratorUsage;
  /** Money spent in this run (phases that ran or failed), with the price table's date. */
  costSpent: RunCost;
  /** Money the cache saved: what the restored phases' calls originally cost. */
  costSavedByCache: RunCost;
  /** First-pass and retry rate of the checked phases that ran; absent when none ran with a check. */
  checks?: CheckQuality;
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
  placeSkipped(plan, phases);
  const durations = new Map(phases.filter((phase) => phase.status !== 'skipped').map((phase) => [phase.number, phase.durationMs]));
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
    usageSpent: sumUsage(phases.filter((phase) => phase.status === 'ran' || phase.status === 'failed')),
    usageSavedByCache: sumUsage(phases.filter((phase) => phase.status === 'cache hit')),
    costSpent: sumRunCost(phases.filter((phase) => phase.status === 'ran' || phase.status === 'failed'), PRICE_TABLE_DATE),
    costSavedByCache: sumRunCost(phases.filter((phase) => phase.status === 'cache hit'), PRICE_TABLE_DATE),
    ...checkQuality(phases),
  };
}

/** First-pass and retry rate over the phases that ran their check in this run (cache hits did not run a check now). */
function checkQuality(phases: PhaseRunEntry[]): { checks?: CheckQuality } {
  const ran = phases.filter((phase) => (phase.status === 'ran' || phase.status === 'failed') && phase.attempts !== undefined);
  return ran.length === 0 ? {} : { checks: qualityOf(ran.map((phase) => ({ attempts: phase.attempts!, passed: phase.status === 'ran' }))) };
}

/** The quality figures of phases' check outcomes (this run's, or the committed app's for `verify`). */
export function qualityOf(outcomes: Array<{ attempts: number; passed: boolean }>): CheckQuality {
  const checked = outcomes.length;
  const firstPass = outcomes.filter((outcome) => outcome.passed && outcome.attempts === 1).length;
  const repaired = outcomes.filter((outcome) => outcome.passed && outcome.attempts > 1).length;
  const failed = checked - firstPass - repaired;
  const attempts = outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0);
  return { checked, firstPass, repaired, failed, attempts, firstPassRate: ratio(firstPass, checked), retryRate: ratio(repaired + failed, checked) };
}

function phaseEntry(run: PhaseTaskRun, name: string, level: number, manifest: PhaseManifest | undefined, firstStart: number): PhaseRunEntry {
  const timed = run.startTime !== undefined && run.endTime !== undefined;
  const committed = manifest && (run.status === 'ran' || run.status === 'cache hit');
  const durationMs = timed ? run.endTime! - run.startTime! : 0;
  const waits =
    run.status === 'ran' && manifest?.waits && timed
      ? waitsInTask(manifest, durationMs)
      : run.status === 'failed' && run.waits && timed
        ? clampWaits(run.waits, durationMs)
        : [];
  return {
    number: run.number,
    name,
    project: run.project,
    level,
    status: run.status,
    durationMs,
    startOffsetMs: timed ? run.startTime! - firstStart : 0,
    ...(committed
      ? { generatedInMs: manifest.durationMs, generator: manifest.generator.use, usage: { ...manifest.usage }, ...(manifest.cost ? { cost: manifest.cost } : {}) }
      : run.status === 'failed' && run.usage
        ? { usage: { ...run.usage }, ...(run.cost ? { cost: run.cost } : {}) }
        : {}),
    ...(waits.length > 0 ? { waits } : {}),
    ...attemptFields(run, committed ? manifest : undefined, durationMs),
  };
}

/** attempts (ran, cache hit, failed at its check), checks and segments (ran or failed now), last diagnostics (failed). */
function attemptFields(run: PhaseTaskRun, manifest: PhaseManifest | undefined, taskMs: number): Partial<PhaseRunEntry> {
  const timed = run.startTime !== undefined && run.endTime !== undefined;
  if (manifest?.checks && manifest.checks.length > 0) {
    if (run.status !== 'ran') return { attempts: manifest.checks.length };
    const segments = timed && manifest.segments ? shiftedIntoTask(manifest.segments, manifest.durationMs, taskMs) : [];
    return { attempts: manifest.checks.length, checks: manifest.checks, ...(segments.length > 0 ? { segments } : {}) };
  }
  if (run.status !== 'failed' || !run.checks || run.checks.length === 0) return {};
  const segments = timed && run.segments ? clampSpans(run.segments, taskMs) : [];
  return { attempts: run.checks.length, checks: run.checks, ...(segments.length > 0 ? { segments } : {}), lastDiagnostics: run.diagnostics ?? [] };
}

/** Skipped phases start (with no duration) where the last of their dependencies in the report ended. */
function placeSkipped(plan: PhasePlan, phases: PhaseRunEntry[]): void {
  const byNumber = new Map(phases.map((phase) => [phase.number, phase]));
  const dependencies = new Map(plan.phases.map((phase) => [phase.number, phase.dependencies]));
  for (const phase of [...phases].sort((a, b) => a.level - b.level || a.number - b.number)) {
    if (phase.status !== 'skipped') continue;
    const ends = (dependencies.get(phase.number) ?? []).map((n) => byNumber.get(n)).filter((p): p is PhaseRunEntry => p !== undefined).map((p) => p.startOffsetMs + p.durationMs);
    phase.startOffsetMs = Math.max(0, ...ends);
    phase.durationMs = 0;
  }
}

/**
 * Adds what the run records know and Nx's task results do not: a failed phase's usage and waits, and the phases
 * Nx skipped because it failed (Nx leaves skipped tasks out of its results). Phases already in `runs` keep their status.
 */
export function withRunRecords(runs: PhaseTaskRun[], records: Map<number, PhaseRunRecord>, appRoot: string): PhaseTaskRun[] {
  const result = runs.map((run) => {
    const record = records.get(run.number);
    if (run.status !== 'failed' || !record || record.success) return run;
    return {
      ...run,
      ...(record.usage ? { usage: record.usage } : {}),
      ...(record.cost ? { cost: record.cost } : {}),
      ...(record.waits ? { waits: record.waits } : {}),
      ...(record.checks ? { checks: record.checks, segments: record.segments, diagnostics: record.diagnostics } : {}),
    };
  });
  const present = new Set(runs.map((run) => run.number));
  for (const record of records.values()) {
    if (record.success) continue;
    for (const blocked of record.blocked ?? []) {
      if (present.has(blocked.number)) continue;
      present.add(blocked.number);
      result.push({ appRoot, number: blocked.number, project: blocked.project, status: 'skipped' });
    }
  }
  return result;
}

/** The manifest's waits moved onto the task's clock: its run ended when the task did (process start-up comes first). */
function waitsInTask(manifest: PhaseManifest, taskMs: number): PhaseWait[] {
  return shiftedIntoTask(manifest.waits!, manifest.durationMs, taskMs);
}

/** Spans timed from the phase run's start (which lasted `runMs`) moved onto the task's clock and cut to it. */
function shiftedIntoTask<T extends { fromMs: number; toMs: number }>(spans: T[], runMs: number, taskMs: number): T[] {
  const shift = Math.max(0, taskMs - runMs);
  return clampSpans(spans.map((span) => ({ ...span, fromMs: span.fromMs + shift, toMs: span.toMs + shift })), taskMs);
}

/** Spans cut to the task's own time span; empty ones dropped. */
function clampSpans<T extends { fromMs: number; toMs: number }>(spans: T[], taskMs: number): T[] {
  const clamp = (ms: number) => Math.min(taskMs, Math.max(0, ms));
  return spans.map((span) => ({ ...span, fromMs: clamp(span.fromMs), toMs: clamp(span.toMs) })).filter((span) => span.toMs > span.fromMs);
}

/** Waits cut to the task's own time span; empty ones dropped. */
function clampWaits(waits: PhaseWait[], taskMs: number): PhaseWait[] {
  return clampSpans(waits, taskMs).map((wait) => ({ kind: wait.kind, fromMs: wait.fromMs, toMs: wait.toMs }));
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
