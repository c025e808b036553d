import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from './atomic-commit';
import { sha256 } from './hash';
import type { PhaseCost } from '../cost';
import { isCheckList, isPhaseCost, isSegmentList, isUsage, isWaitList } from './manifest-checks';
import type { AttemptSegment, CheckRecord } from './pipeline/state';
import type { GeneratorUsage, PhaseWait } from './phase-generator';
import { workspaceDataPath } from './workspace-data';

/**
 * The environment variable that names the current `nx run-many`/`nx run` invocation in every task process. The
 * plugin's `preTasksExecution` hook sets it to Nx's run id; Nx hands it to the tasks with the daemon on or off.
 */
export const RUN_ID_ENV = 'NX_PHASES_RUN_ID';

/** The environment variable holding the invocation's `--parallel` (as Nx reads it), set by the same hook. */
export const RUN_PARALLEL_ENV = 'NX_PHASES_RUN_PARALLEL';

/** The invocation's `--parallel` from the environment, or undefined outside a run. */
export function currentRunParallel(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const parallel = Number(env[RUN_PARALLEL_ENV]);
  return Number.isInteger(parallel) && parallel >= 1 ? parallel : undefined;
}

/** How a phase's executor run ended in one invocation (cache hits never run the executor, so have none). */
export interface PhaseRunRecord {
  /** `Date.now()` when the phase's run started and ended. */
  startedAt: number;
  endedAt: number;
  success: boolean;
  /** What the generator spent, also when it failed (a failed phase commits no manifest, so this is its only trace). */
  usage?: GeneratorUsage;
  /** A failed phase's calls' cost (it committed no manifest, but the calls were paid). */
  cost?: PhaseCost;
  /** Rate-limit waits and retries, in ms from the phase's `startedAt`. */
  waits?: PhaseWait[];
  /** A failed phase's check runs (all failed: its last attempt did not pass); absent when no check ran. */
  checks?: CheckRecord[];
  /** A failed phase's generate, check and repair stretches, in ms from `startedAt`; present with `checks`. */
  segments?: AttemptSegment[];
  /** The first diagnostics of a failed phase's last check (`file:line:col message`); present with `checks`. */
  diagnostics?: string[];
  /** A failed phase's dependents (same plan) in this run's task graph: Nx skips them and never reports them. */
  blocked?: BlockedPhase[];
}

/** A phase task of the run that cannot run because a phase it depends on failed. */
export interface BlockedPhase {
  number: number;
  project: string;
}

const MAX_BLOCKED = 100_000;
const MAX_DIAGNOSTICS = 20;
const MAX_DIAGNOSTIC_CHARS = 1000;
const PROJECT_NAME = /^[^\u0000-\u001f\u007f]{1,256}$/u;

/** Run folders older than this are left over from killed runs and are removed by the next report. */
const STALE_RUN_MS = 24 * 60 * 60 * 1000;
const SAFE_RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The current invocation's id from the environment, or undefined outside a run (or when it is not a plain id). */
export function currentRunId(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const id = env[RUN_ID_ENV];
  return id !== undefined && SAFE_RUN_ID.test(id) ? id : undefined;
}

/** Records that a phase ran in the current invocation; does nothing outside one. Never throws: it only feeds the summary. */
export function recordPhaseRun(workspaceRoot: string, planFile: string, phase: number, record: PhaseRunRecord): void {
  const runId = currentRunId();
  if (!runId) return;
  try {
    writeFileAtomically(join(runFolder(workspaceRoot, runId), `${planKey(planFile)}-${phase}.json`), JSON.stringify(record));
  } catch {
    // A missing record shows the phase as a cache hit in the terminal summary; the run itself is unaffected.
  }
}

/** Phase number → the records phases of `planFile` left in invocation `runId` (malformed ones are ignored). */
export function readPhaseRuns(workspaceRoot: string, runId: string, planFile: string): Map<number, PhaseRunRecord> {
  const records = new Map<number, PhaseRunRecord>();
  const folder = SAFE_RUN_ID.test(runId) ? runFolder(workspaceRoot, runId) : undefined;
  if (!folder || !existsSync(folder)) return records;
  const prefix = `${planKey(planFile)}-`;
  for (const name of readdirSync(folder)) {
    const number = Number(name.slice(prefix.length, -'.json'.length));
    if (!name.startsWith(prefix) || !name.endsWith('.json') || !Number.isSafeInteger(number)) continue;
    const record = parseRecord(join(folder, name));
    if (record) records.set(number, record);
  }
  return records;
}

/** Removes invocation `runId`'s records and any run folder older than a day (left by killed runs). */
export function removeRunRecords(workspaceRoot: string, runId: string, now = Date.now()): void {
  const runs = workspaceDataPath(workspaceRoot, 'runs');
  let names: string[];
  try {
    names = existsSync(runs) ? readdirSync(runs) : [];
  } catch {
    return;
  }
  for (const name of names) {
    const folder = join(runs, name);
    try {
      if (name === runId || now - statSync(folder).mtimeMs > STALE_RUN_MS) rmSync(folder, { recursive: true, force: true });
    } catch {
      // Another report removed it first.
    }
  }
}

function runFolder(workspaceRoot: string, runId: string): string {
  return workspaceDataPath(workspaceRoot, 'runs', runId);
}

/** A short, file-name-safe key for a plan file path. */
function planKey(planFile: string): string {
  return sha256(planFile).slice(0, 16);
}

/** A record as read from disk, or undefined when any field is malformed (records are untrusted, like manifests). */
function parseRecord(path: string): PhaseRunRecord | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const { startedAt, endedAt, success, usage, cost, waits, blocked, checks, segments, diagnostics } = data;
    if (typeof startedAt !== 'number' || typeof endedAt !== 'number' || typeof success !== 'boolean') return undefined;
    if (!Number.isFinite(startedAt) || !Number.isFinite(endedAt) || endedAt < startedAt) return undefined;
    if (usage !== undefined && !isUsage(usage)) return undefined;
    if (waits !== undefined && !isWaitList(waits)) return undefined;
    if (cost !== undefined && !isPhaseCost(cost)) return undefined;
    if (blocked !== undefined && !isBlockedList(blocked)) return undefined;
    if (checks !== undefined && (success || !isCheckList(checks, false) || !isSegmentList(segments) || !isDiagnosticList(diagnostics))) return undefined;
    return {
      startedAt,
      endedAt,
      success,
      ...(usage !== undefined ? { usage: usage as GeneratorUsage } : {}),
      ...(cost !== undefined ? { cost: cost as PhaseCost } : {}),
      ...(waits !== undefined ? { waits: waits as PhaseWait[] } : {}),
      ...(blocked !== undefined ? { blocked: blocked as BlockedPhase[] } : {}),
      ...(checks !== undefined ? { checks: checks as CheckRecord[], segments: segments as AttemptSegment[], diagnostics: diagnostics as string[] } : {}),
    };
  } catch {
    return undefined;
  }
}

function isDiagnosticList(value: unknown): boolean {
  return Array.isArray(value) && value.length <= MAX_DIAGNOSTICS && value.every((item) => typeof item === 'string' && item.length <= MAX_DIAGNOSTIC_CHARS);
}

function isBlockedList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length <= MAX_BLOCKED &&
    value.every(
      (item) =>
        typeof item === 'object' && item !== null && Number.isSafeInteger(item.number) && item.number > 0 &&
        typeof item.project === 'string' && PROJECT_NAME.test(item.project),
    )
  );
}
