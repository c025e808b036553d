import { costOfUsage, worstCaseCost } from './cost';
import type { ModelPrice } from './prices';

/** What the estimate knows about one phase before anything is spent. */
export interface PhaseEstimateInput {
  number: number;
  name: string;
  generator: string;
  /** Already paid for: its committed result would be reused (or restored), so it costs 0. */
  cached: boolean;
  /** Set for phases whose generator calls an LLM the plugin counts (nx-phases:openai). */
  llm?: {
    model: string;
    /** Prompt tokens of the first call, counted on the prompt the phase would send now. */
    promptTokens: number;
    /** False when the model has no tokenizer in the package (the characters / 3 fallback). */
    exact: boolean;
    /** How many dependencies have not run yet: their files are in the prompt as paths only, so it will grow. */
    pendingDependencies: number;
    maxContextTokens: number;
    maxOutputTokens: number;
    /** Tokens of the reply's JSON schema, sent with every call (`response_format`); in the worst case, as the budget reserves them. */
    schemaTokens: number;
    /** The output the phase is expected to write, and where that number comes from. */
    expectedOutputTokens: number;
    outputBasis: 'previous run' | 'per planned file';
    /** Calls at most: 1 plus the check's repairs. */
    maxCalls: number;
    price: ModelPrice | undefined;
  };
  /** Expected milliseconds (0 when cached); undefined when nothing has been measured yet. */
  expectedMs: number | undefined;
}

/** One phase's line of the estimate. Amounts are USD; null = unknown (no price, or a generator whose calls are not counted). */
export interface PhaseEstimate {
  number: number;
  name: string;
  generator: string;
  cached: boolean;
  model?: string;
  promptTokens?: number;
  promptExact?: boolean;
  pendingDependencies?: number;
  outputAllowanceTokens?: number;
  expectedOutputTokens?: number;
  outputBasis?: 'previous run' | 'per planned file';
  maxCalls?: number;
  schemaTokens?: number;
  expectedUsd: number | null;
  worstCaseUsd: number | null;
  expectedMs?: number;
}

/** Estimate of a whole plan, named by the price table's date. */
export interface PlanEstimate {
  plan: string;
  planFile: string;
  priceTableDate: string;
  phases: PhaseEstimate[];
  /** Sums over the phases; null when any phase's amount is unknown (the known part is in `knownExpectedUsd`). */
  expectedUsd: number | null;
  worstCaseUsd: number | null;
  knownExpectedUsd: number;
  knownWorstCaseUsd: number;
  cachedPhases: number[];
  /** Phases whose cost is unknown, and why. */
  unknown: Array<{ number: number; reason: string }>;
  /** The critical path with cached phases taking 0: its phases and expected milliseconds; undefined before any phase was measured. */
  criticalPath?: { phases: number[]; expectedMs: number };
}

/**
 * One phase's expected and worst-case cost. Expected: one call with the prompt counted now and the expected output.
 * Worst case: every call the check's repairs allow (`maxCalls`), each with the larger of the prompt now and
 * `maxContextTokens` (a prompt is compressed to fit it unless its fixed parts exceed it) plus the reply schema sent
 * with it, and the whole output allowance; a repair's prompt also carries the previous reply (up to `maxOutputTokens`).
 * A cached phase costs 0.
 */
export function estimatePhase(input: PhaseEstimateInput): PhaseEstimate {
  const base = { number: input.number, name: input.name, generator: input.generator, cached: input.cached, ...(input.expectedMs !== undefined ? { expectedMs: input.expectedMs } : {}) };
  const llm = input.llm;
  if (!llm) {
    const free = input.generator === 'nx-phases:scaffold' || input.cached;
    return { ...base, expectedUsd: free ? 0 : null, worstCaseUsd: free ? 0 : null };
  }
  const details = {
    model: llm.model,
    promptTokens: llm.promptTokens,
    promptExact: llm.exact,
    pendingDependencies: llm.pendingDependencies,
    outputAllowanceTokens: llm.maxOutputTokens,
    expectedOutputTokens: llm.expectedOutputTokens,
    outputBasis: llm.outputBasis,
    maxCalls: llm.maxCalls,
    schemaTokens: llm.schemaTokens,
  };
  if (input.cached) return { ...base, ...details, expectedUsd: 0, worstCaseUsd: 0 };
  if (!llm.price) return { ...base, ...details, expectedUsd: null, worstCaseUsd: null };
  const expectedUsd = costOfUsage({ promptTokens: llm.promptTokens, completionTokens: llm.expectedOutputTokens }, llm.price);
  const worstPrompt = Math.max(llm.promptTokens, llm.maxContextTokens) + llm.schemaTokens;
  const firstCall = worstCaseCost(worstPrompt, llm.maxOutputTokens, llm.price);
  const repairCall = worstCaseCost(worstPrompt + llm.maxOutputTokens, llm.maxOutputTokens, llm.price);
  return { ...base, ...details, expectedUsd, worstCaseUsd: firstCall + (llm.maxCalls - 1) * repairCall };
}

/** Sums the phases' estimates into the plan's (the critical path is computed by the caller, which knows the graph). */
export function summarizeEstimate(
  head: { plan: string; planFile: string; priceTableDate: string },
  phases: PhaseEstimate[],
  criticalPath?: PlanEstimate['criticalPath'],
): PlanEstimate {
  const sum = (pick: (phase: PhaseEstimate) => number | null) => phases.reduce((total, phase) => total + (pick(phase) ?? 0), 0);
  const anyUnknown = phases.some((phase) => phase.expectedUsd === null);
  return {
    ...head,
    phases,
    expectedUsd: anyUnknown ? null : sum((phase) => phase.expectedUsd),
    worstCaseUsd: anyUnknown ? null : sum((phase) => phase.worstCaseUsd),
    knownExpectedUsd: sum((phase) => phase.expectedUsd),
    knownWorstCaseUsd: sum((phase) => phase.worstCaseUsd),
    cachedPhases: phases.filter((phase) => phase.cached).map((phase) => phase.number),
    unknown: phases.filter((phase) => phase.expectedUsd === null).map((phase) => ({ number: phase.number, reason: unknownReason(phase) })),
    ...(criticalPath ? { criticalPath } : {}),
  };
}

function unknownReason(phase: PhaseEstimate): string {
  if (phase.model) return `no price for model ${JSON.stringify(phase.model)}: add it to "prices" (nx.json plugin options or the generator's options)`;
  return `${phase.generator} makes calls nx-phases cannot see`;
}
