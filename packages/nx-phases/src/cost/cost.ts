import type { ModelPrice } from './prices';

/** Token usage of one or more calls: prompt tokens (of which `cachedPromptTokens` came from the provider's prompt cache) and output tokens. */
export interface TokenUsage {
  promptTokens: number;
  cachedPromptTokens?: number;
  completionTokens: number;
}

/** USD spent for `usage` at `price`: uncached prompt tokens at the input price, cached ones at the cached price, output at the output price. */
export function costOfUsage(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(Math.max(usage.cachedPromptTokens ?? 0, 0), usage.promptTokens);
  return (
    (usage.promptTokens - cached) * price.inputPerToken + cached * price.cachedInputPerToken + usage.completionTokens * price.outputPerToken
  );
}

/** The most one call can cost: every prompt token uncached, and the whole output allowance used. */
export function worstCaseCost(promptTokens: number, maxOutputTokens: number, price: ModelPrice): number {
  return promptTokens * price.inputPerToken + maxOutputTokens * price.outputPerToken;
}

/** A USD amount for people: `$0.0123` (4 decimals below a dollar, else 2); what reports and the estimate print. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(Math.abs(amount) < 1 ? 4 : 2)}`;
}

/** Decimals a USD amount keeps in JSON output (the estimate's and the run's reports): a millionth of a dollar, as the budget ledger. */
export const USD_JSON_DECIMALS = 6;

/** `amount` rounded to `USD_JSON_DECIMALS` decimals: 0.0008975999999999999 → 0.000898. */
export function roundUsd(amount: number): number {
  return Number.isFinite(amount) ? Number(amount.toFixed(USD_JSON_DECIMALS)) : amount;
}

/** A `JSON.stringify` replacer that rounds every USD amount (a number under the key `usd` or a key ending in `Usd`) with `roundUsd`. */
export function roundUsdAmounts(key: string, value: unknown): unknown {
  return typeof value === 'number' && (key === 'usd' || key.endsWith('Usd')) ? roundUsd(value) : value;
}

/**
 * One call's cost as a generator reports it: USD, or null when unknown (never 0): its model has no price, or
 * (`unanswered`) the request was sent but no answer came, so the provider never reported its usage.
 */
export interface CallCost {
  usd: number | null;
  model: string;
  unanswered?: true;
}

/**
 * What a phase's calls cost (manifest and run record `cost`): USD summed, null when any call's cost is unknown; the
 * models; the price table's date; `unanswered`: how many calls were sent without an answer (absent when none).
 */
export interface PhaseCost {
  usd: number | null;
  models: string[];
  priceTableDate: string;
  unanswered?: number;
}

/** `total` plus one call's cost (a new object); the models stay sorted and unique. */
export function addCallCost(total: PhaseCost | undefined, call: CallCost, priceTableDate: string): PhaseCost {
  const usd = total && total.usd === null ? null : call.usd === null ? null : (total?.usd ?? 0) + call.usd;
  const models = [...new Set([...(total?.models ?? []), call.model])].sort();
  const unanswered = (total?.unanswered ?? 0) + (call.unanswered ? 1 : 0);
  return { usd, models, priceTableDate, ...(unanswered > 0 ? { unanswered } : {}) };
}

/** Money of a run (spent, or saved by the cache): the sum of the known costs, the phases whose cost is unknown and why, the table's date. */
export interface RunCost {
  usd: number;
  /** Phases that made calls whose cost is unknown for want of a price (or a record from before costs were kept). */
  unpricedPhases: number[];
  /** Phases whose cost is unknown because a call was sent and got no answer (its usage was never reported). */
  unansweredPhases: number[];
  priceTableDate: string;
}

/** Why a phase's recorded cost is unknown: a call without an answer, else no price (the only other way a cost is null). */
export function unknownCostReason(cost: PhaseCost | undefined): 'no answer' | 'no price' {
  return (cost?.unanswered ?? 0) > 0 ? 'no answer' : 'no price';
}

/**
 * Sums phases' costs; a phase with no calls costs 0, one with calls but no known cost is listed as unpriced (never 0).
 * The date is the one the phases' costs were recorded with (several joined by ', ' when a record predates a newer
 * table), or `priceTableDate` when no phase recorded a cost.
 */
export function sumRunCost(phases: ReadonlyArray<{ number: number; usage?: { calls: number }; cost?: PhaseCost }>, priceTableDate: string): RunCost {
  let usd = 0;
  const unpricedPhases: number[] = [];
  const unansweredPhases: number[] = [];
  const dates = new Set<string>();
  for (const phase of phases) {
    if (phase.cost?.usd !== undefined && phase.cost.usd !== null) usd += phase.cost.usd;
    else if ((phase.usage?.calls ?? 0) > 0) (unknownCostReason(phase.cost) === 'no answer' ? unansweredPhases : unpricedPhases).push(phase.number);
    if (phase.cost && typeof phase.cost.priceTableDate === 'string') dates.add(phase.cost.priceTableDate);
  }
  return { usd, unpricedPhases, unansweredPhases, priceTableDate: dates.size > 0 ? [...dates].sort().join(', ') : priceTableDate };
}
