/** USD per token for one model: prompt input, prompt input served from the provider's prompt cache, and output. */
export interface ModelPrice {
  inputPerToken: number;
  cachedInputPerToken: number;
  outputPerToken: number;
}

/** The day the pinned prices below were copied from the providers' public price pages. Reports name it. */
export const PRICE_TABLE_DATE = '2025-08-07';

/** USD per 1M tokens to USD per token, rounded to 12 significant digits so 0.4 / 1e6 reads 4e-7, not 4.0000000000000003e-7. */
const perToken = (perMillionTokens: number): number => Number((perMillionTokens / 1e6).toPrecision(12));
const perMillion = (input: number, cachedInput: number, output: number): ModelPrice =>
  Object.freeze({ inputPerToken: perToken(input), cachedInputPerToken: perToken(cachedInput), outputPerToken: perToken(output) });

/**
 * The pinned price table (USD per 1M tokens, standard tier, converted to per token). Never fetched at run time: override
 * a price with the `prices` plugin option in nx.json or the openai generator's `prices` option in the plan.
 */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-5': perMillion(1.25, 0.125, 10),
  'gpt-5-mini': perMillion(0.25, 0.025, 2),
  'gpt-5-nano': perMillion(0.05, 0.005, 0.4),
  'gpt-4.1': perMillion(2, 0.5, 8),
  'gpt-4.1-mini': perMillion(0.4, 0.1, 1.6),
  'gpt-4.1-nano': perMillion(0.1, 0.025, 0.4),
  'gpt-4o': perMillion(2.5, 1.25, 10),
  'gpt-4o-mini': perMillion(0.15, 0.075, 0.6),
  o3: perMillion(2, 0.5, 8),
  'o3-mini': perMillion(1.1, 0.55, 4.4),
  'o4-mini': perMillion(1.1, 0.275, 4.4),
  'claude-opus-4-1': perMillion(15, 1.5, 75),
  'claude-opus-4': perMillion(15, 1.5, 75),
  'claude-sonnet-4': perMillion(3, 0.3, 15),
  'claude-3-7-sonnet': perMillion(3, 0.3, 15),
  'claude-3-5-haiku': perMillion(0.8, 0.08, 4),
});

/**
 * The price of `model`: an override with exactly that name first, then the pinned table by the name, by the name
 * without a `provider/` prefix (`openai/gpt-4o`) and without a dated snapshot suffix (`gpt-4o-2024-08-06`,
 * `claude-sonnet-4-20250514`, `-latest`). Undefined when nothing matches: cost is then unknown, never zero.
 */
export function priceFor(model: string, overrides?: Record<string, ModelPrice>): ModelPrice | undefined {
  if (overrides && Object.prototype.hasOwnProperty.call(overrides, model)) return overrides[model];
  for (const name of nameVariants(model)) {
    if (overrides && Object.prototype.hasOwnProperty.call(overrides, name)) return overrides[name];
    if (Object.prototype.hasOwnProperty.call(PRICE_TABLE, name)) return PRICE_TABLE[name];
  }
  return undefined;
}

function nameVariants(model: string): string[] {
  const lower = model.trim().toLowerCase();
  const bare = lower.replace(/^[a-z0-9_.-]+\//, '');
  const undated = bare.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '');
  return [...new Set([lower, bare, undated])];
}
