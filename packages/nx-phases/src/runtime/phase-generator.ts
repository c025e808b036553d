import type { MergeStrategy, Phase } from '../plan/types';

/** What the executor knows about one transitive dependency of the running phase. */
export interface DependencyOutput {
  number: number;
  name: string;
  domain: string;
  features: string[];
  /** App-root-relative paths this dependency committed (from its manifest). */
  files: string[];
}

/** Usage a generator reports back; the executor stores it in the manifest. */
export interface GeneratorUsage {
  calls: number;
  retries: number;
  promptTokens: number;
  completionTokens: number;
  waitMs: number;
}

/** Time a phase spent waiting inside its run: for a rate-limit slot, or on a failed attempt and its backoff before a retry. */
export interface PhaseWait {
  kind: 'rate-limit' | 'retry';
  /** Milliseconds from the start of the phase's run (the manifest's `durationMs` clock). */
  fromMs: number;
  toMs: number;
}

/** Hooks the executor hands to built-in generators (absent when a plain Nx generator runs via `nx g`). */
export interface PhaseRuntime {
  /** Absolute workspace root. */
  workspaceRoot: string;
  /** Absolute path of the snapshot folder the tree is rooted at. */
  snapshotRoot: string;
  /** The plan's rate limit (with defaults applied). */
  rateLimit: import('../plan/types').RateLimit;
  /** Update the current progress line (e.g. "Waiting for rate-limit slot (12 s)"). */
  progress(title: string): void;
  /** Add to the usage recorded in the manifest. */
  recordUsage(usage: Partial<GeneratorUsage>): void;
  /** Record one call's cost (usage × price; `usd` null when the model has no price); summed into the manifest's `cost`. */
  recordCost?(call: import('../cost').CallCost): void;
  /** Record a wait between two `Date.now()` times, shown shaded in the run's Gantt chart (optional for older runtimes). */
  recordWait?(kind: PhaseWait['kind'], startedAt: number, endedAt: number): void;
  /** Aborted when the phase is cancelled or times out. */
  signal: AbortSignal;
  /** Where the generator's options are written, for error messages: the plan file and their JSON path. */
  where?: { planFile: string; jsonPath: string };
  /** Set when this call is a repair: the phase's check failed on the previous attempt (see runtime/pipeline/check-step.ts). */
  repair?: PhaseRepair;
  /** The run's budget for LLM calls, when one is set (plan, nx.json or NX_PHASES_MAX_COST_USD; see runtime/budget). */
  maxCost?: import('./budget/budget-config').MaxCost;
}

/** What a repairing generator is told: which repair this is, the check that failed and what it printed. */
export interface PhaseRepair {
  /** 1 for the first repair, up to `maxRepairs`. */
  attempt: number;
  maxRepairs: number;
  /** The check's command. */
  check: string;
  /** The failure message (first diagnostics, missing dependencies) followed by the end of the check's output. */
  diagnostics: string;
  /** Snapshot-relative files the diagnostics point at, sorted. */
  files: string[];
}

/**
 * Options every phase generator receives: the generator's own options from the plan
 * (spread at top level, so a user's Nx generator sees its usual options) plus these fields.
 */
export interface PhaseGeneratorOptions extends Record<string, unknown> {
  /** `merge`: the strategies of the phase's planned files that are mergeable (it may only add to them); absent when none. */
  plan: { name: string; appRoot: string; merge?: Record<string, MergeStrategy> };
  phase: Phase;
  /** Transitive dependencies in dependency order (a phase's files overlay earlier ones). */
  dependencies: DependencyOutput[];
  /** The plan's shared context paths present in the snapshot. */
  context: string[];
  /** Present when run by the `nx-phases:phase` executor. */
  runtime?: PhaseRuntime;
}
