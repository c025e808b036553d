import type { PlanRunReport } from './run-report';

/** A measured sequential run of a plan: every phase in it ran (no cache hit, no failure) on one worker. */
export interface SequentialBaseline {
  /** The phases that ran, ascending. A speed-up is only computed for a run of exactly these phases. */
  phases: number[];
  /** First phase start to last phase end of that run. */
  makespanMs: number;
  /** When it was measured (ISO 8601). */
  recordedAt: string;
}

/** A speed-up measured against a sequential baseline of the same phases. */
export interface MeasuredSpeedUp {
  /** baseline makespan / this run's makespan, 2 decimals. */
  factor: number;
  baseline: SequentialBaseline;
}

/** Plan file → its latest sequential baseline (`.nx/nx-phases/baselines.json`). */
export type BaselineStore = Record<string, SequentialBaseline>;

/**
 * The baseline a run establishes: a run on one worker (`--parallel=1` or `"parallel": false`) in which every
 * phase ran its generator. Cache hits, failures and skipped phases make it no measurement of sequential work.
 */
export function baselineOf(report: PlanRunReport, recordedAt: Date): SequentialBaseline | undefined {
  if (report.parallel !== 1 || !everyPhaseRan(report)) return undefined;
  return { phases: ranPhases(report), makespanMs: report.makespanMs, recordedAt: recordedAt.toISOString() };
}

/** The speed-up of `report` against `baseline`, only when this run ran exactly the baseline's phases. */
export function speedUpAgainst(report: PlanRunReport, baseline: SequentialBaseline | undefined): MeasuredSpeedUp | undefined {
  if (!baseline || !everyPhaseRan(report)) return undefined;
  if (ranPhases(report).join(',') !== baseline.phases.join(',')) return undefined;
  return { factor: Math.round((baseline.makespanMs / report.makespanMs) * 100) / 100, baseline };
}

/** Keeps only well-formed entries of a store read from disk (a hand-edited or hostile file costs its entries). */
export function validBaselines(data: unknown): BaselineStore {
  const store: BaselineStore = {};
  if (!data || typeof data !== 'object' || Array.isArray(data)) return store;
  for (const [planFile, entry] of Object.entries(data as Record<string, unknown>)) {
    if (isBaseline(entry)) store[planFile] = { phases: [...entry.phases], makespanMs: entry.makespanMs, recordedAt: entry.recordedAt };
  }
  return store;
}

function isBaseline(entry: unknown): entry is SequentialBaseline {
  if (!entry || typeof entry !== 'object') return false;
  const { phases, makespanMs, recordedAt } = entry as Record<string, unknown>;
  return (
    Array.isArray(phases) &&
    phases.length > 0 &&
    phases.every((n) => Number.isSafeInteger(n)) &&
    typeof makespanMs === 'number' &&
    Number.isFinite(makespanMs) &&
    makespanMs > 0 &&
    typeof recordedAt === 'string' &&
    !Number.isNaN(Date.parse(recordedAt))
  );
}

/** True when every phase of the run ran its generator (no cache hit, failure or skip) and time passed. */
export function everyPhaseRan(report: PlanRunReport): boolean {
  return report.makespanMs > 0 && report.phases.length > 0 && report.phases.every((phase) => phase.status === 'ran');
}

function ranPhases(report: PlanRunReport): number[] {
  return report.phases.map((phase) => phase.number).sort((a, b) => a - b);
}
