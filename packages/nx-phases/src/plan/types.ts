/** A generator reference: `"pkg:name"` or `{ use, options }`. */
export type GeneratorSpec = string | { use: string; options?: Record<string, unknown> };

/** A generator reference after normalisation: always `{ use, options }`. */
export interface ResolvedGenerator {
  use: string;
  options: Record<string, unknown>;
}

/** Rate-limit settings shared by every phase of a plan that calls the same LLM endpoint. */
export interface RateLimit {
  maxConcurrentRequests: number;
  minDelayBetweenMs: number;
  requestsPerMinute: number;
  tokensPerMinute?: number;
}

/** A command a phase's output must pass in its snapshot before it is committed, after defaults are applied. */
export interface PhaseCheck {
  command: string;
  timeoutSeconds: number;
  maxRepairs: number;
  /** Run under the command sandbox (`true` → with network); absent: only when the phase's command generator is sandboxed. */
  sandbox?: { network: boolean };
}

/** A check as written in `phases.json` (before defaults). */
export interface CheckDocument {
  command: string;
  timeoutSeconds?: number;
  maxRepairs?: number;
  sandbox?: boolean | { network?: boolean };
}

/** The domains a plan may name (the schema's enum); the file predictor has one rule per domain. */
export type PhaseDomain =
  | 'setup'
  | 'database'
  | 'auth'
  | 'api'
  | 'feature'
  | 'admin'
  | 'polish'
  | 'testing';

/** One unit of generation, as written in `phases.json` after defaults are applied. */
export interface Phase {
  number: number;
  name: string;
  domain: string;
  description: string;
  features: string[];
  /** Ascending, without repeats (as `parsePlan` and `resolveConflicts` build them). */
  dependencies: number[];
  /** Normalised, app-root-relative POSIX paths; filled by prediction when omitted in the file. */
  plannedFiles: string[];
  /** True when `plannedFiles` was omitted in the file and came from `predictPhaseFiles`. */
  predictedFiles: boolean;
  /** The phase's own override, if any (see `effectiveGenerator`). */
  generator?: ResolvedGenerator;
  /** The phase's own check, or false to opt out of the plan's (see `effectiveCheck`). */
  check?: PhaseCheck | false;
}

/** An edge added by conflict resolution: `to` now depends on `from`. */
export interface AddedEdge {
  from: number;
  to: number;
  file: string;
  reason: string;
}

/** How a mergeable file is built from the phases' contributions (see `src/plan/merge`). */
export type MergeStrategy = 'json' | 'lines' | 'regions';

/** A parsed, validated plan. Phases are sorted by number. */
export interface PhasePlan {
  name: string;
  generator: ResolvedGenerator;
  parallel: boolean;
  rateLimit: RateLimit;
  context: string[];
  /** The check every phase runs unless it declares its own or opts out; absent when the plan declares none. */
  check?: PhaseCheck;
  /** The plan's budget for LLM calls in USD (see `resolveMaxCostUsd`); absent when the plan sets none. */
  maxCostUsd?: number;
  /**
   * Mergeable files (normalised path → strategy), sorted by path; absent when the plan declares none.
   * Several phases may plan such a file: each records what it added, and the merge builds the file.
   */
  merge?: Record<string, MergeStrategy>;
  /** In ascending order of `number`. */
  phases: Phase[];
  /** Edges added by `resolveConflicts`; empty on a freshly parsed plan. */
  addedEdges: AddedEdge[];
}

/** A concurrent pair of phases that plan to write the same file (see `findConflicts`). */
export interface Conflict {
  file: string;
  /** The two phase numbers, ascending; neither phase reaches the other. */
  phases: number[];
}

/** One phase as written in `phases.json` (before defaults); see `schemas/phases.schema.json`. */
export interface PhaseDocument {
  number: number;
  name: string;
  domain?: string;
  description?: string;
  features?: string[];
  dependencies?: number[];
  plannedFiles?: string[];
  generator?: GeneratorSpec;
  check?: CheckDocument | false;
}

/** A `phases.json` document as written (before defaults); see `schemas/phases.schema.json`. */
export interface PlanDocument {
  $schema?: string;
  name: string;
  generator?: GeneratorSpec;
  parallel?: boolean;
  rateLimit?: Partial<RateLimit>;
  context?: string[];
  merge?: Record<string, string>;
  check?: CheckDocument;
  maxCostUsd?: number;
  phases: PhaseDocument[];
}
