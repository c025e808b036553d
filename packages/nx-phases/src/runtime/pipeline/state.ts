import type { Phase, ResolvedGenerator } from '../../plan/types';
import type { LoadedPlan } from '../load-plan';
import type { PhaseContributions } from '../merge/contribution-record';
import type { PhaseCost } from '../../cost';
import type { GeneratorUsage, PhaseRepair, PhaseWait } from '../phase-generator';
import type { PhaseRunRequest } from '../run-phase';
import type { PhaseClaim } from '../single-flight/phase-claim';
import type { Snapshot } from '../snapshot';
import type { RedisStore } from '../store/store-client';
import type { AppliedSharedResult } from '../store/shared-result';
import type { PhaseLocation, PhaseOutput } from '../validate-output';

/** One run of a phase's check: which attempt (1 = the first generation), whether it passed, how long it took. */
export interface CheckRecord {
  attempt: number;
  passed: boolean;
  durationMs: number;
  /** How many diagnostics it printed that point into the snapshot. */
  diagnostics: number;
}

/**
 * One stretch of a phase's run, in ms from the run's start (the manifest's `durationMs` clock): attempt 1's
 * `generate`, each attempt's `check`, and each later attempt's `repair` (the generator run again with the diagnostics).
 */
export interface AttemptSegment {
  kind: 'generate' | 'check' | 'repair';
  attempt: number;
  fromMs: number;
  toMs: number;
}

/**
 * What the steps of one phase run share: the request, what earlier steps produced (set as they run), and what
 * the run records whatever happens (usage, waits). A step reads what earlier steps set and sets its own fields.
 */
export interface PhaseRunState {
  request: PhaseRunRequest;
  /** `Date.now()` when the run started (the manifest's `durationMs` clock). */
  started: number;
  usage: GeneratorUsage;
  /** What the generator's calls cost (see `recordCost`); absent when it reported none. */
  cost?: PhaseCost;
  waits: PhaseWait[];
  /** One entry per run of the phase's check, in order (see `check-step.ts`). */
  checks: CheckRecord[];
  /** The generate, check and repair stretches of the run, in order (timing; recorded only when a check applies). */
  segments: AttemptSegment[];
  /** The first diagnostics of the last failed check (`file:line:col message`), kept for the run record of a failure. */
  lastDiagnostics?: string[];
  /** Set by `load`. */
  loaded?: LoadedPlan;
  phase?: Phase;
  generator?: ResolvedGenerator;
  where?: PhaseLocation;
  /** How the user fixes the plan when a planned path is unsafe. */
  fixHint?: string;
  /** The generator's `apiKeyEnv`, so a failure message is redacted even when the run fails before generating. */
  apiKeyEnv?: unknown;
  /** Set by `claim` on the Redis store (this process's connection); released when the run ends. */
  store?: RedisStore;
  /** Set by `reuse` when another machine's verified result was written into the snapshot: no generation, no check. */
  shared?: AppliedSharedResult;
  /** Set by `claim`; released when the run ends. */
  claim?: PhaseClaim;
  /** Set by `snapshot`; disposed of when the run ends. */
  snapshot?: Snapshot;
  /** Set by `check` before it runs the generator again to repair a failed check. */
  repair?: PhaseRepair;
  /** Set by `validate`. */
  output?: PhaseOutput;
  contributions?: PhaseContributions;
  /** Set by a step that finished the run early (a reused result): the remaining steps are skipped. */
  done?: boolean;
}

/** Records that `kind` of `attempt` ran from `startedAt` until now (`Date.now()` clock) on the run's own clock. */
export function recordSegment(state: PhaseRunState, kind: AttemptSegment['kind'], attempt: number, startedAt: number): void {
  const fromMs = Math.max(0, startedAt - state.started);
  state.segments.push({ kind, attempt, fromMs, toMs: Math.max(fromMs, Date.now() - state.started) });
}

/** The fields a step needs from an earlier step; throws (a bug, not a user error) when that step did not run. */
export function required<K extends keyof PhaseRunState>(state: PhaseRunState, key: K): NonNullable<PhaseRunState[K]> {
  const value = state[key];
  if (value === undefined || value === null) throw new Error(`nx-phases internal error: the phase pipeline has no ${String(key)} yet`);
  return value as NonNullable<PhaseRunState[K]>;
}
