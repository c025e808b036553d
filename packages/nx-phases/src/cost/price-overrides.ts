import { closestName } from '../plan/did-you-mean';
import type { ModelPrice } from './prices';

/** Where price overrides were written, for messages: the file and the JSON path of the `prices` object. */
export interface PriceOverridesSource {
  file: string;
  jsonPath: string;
}

/** Bad `prices` overrides; the message names the file, the JSON path of each problem and the fix. */
export class PriceOverridesError extends Error {
  constructor(problems: string[], source: PriceOverridesSource) {
    super(
      `Invalid price overrides in ${source.file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        `Fix: write ${source.jsonPath} as { "<model>": { "inputPerToken": 0.0000004, "cachedInputPerToken": 0.0000001, "outputPerToken": 0.0000016 } } ` +
        '(USD per token; cachedInputPerToken may be left out and then equals inputPerToken).',
    );
    this.name = 'PriceOverridesError';
  }
}

const PRICE_KEYS = ['inputPerToken', 'cachedInputPerToken', 'outputPerToken'] as const;

/**
 * Checks a `prices` object ({ model: { inputPerToken, cachedInputPerToken?, outputPerToken } }, USD per token) and
 * returns it with `cachedInputPerToken` filled in; throws `PriceOverridesError` listing every problem (unknown keys with
 * a did-you-mean, missing or negative prices). Undefined stays undefined.
 */
export function parsePriceOverrides(value: unknown, source: PriceOverridesSource): Record<string, ModelPrice> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new PriceOverridesError([`${source.jsonPath} must be an object keyed by model name`], source);
  const problems: string[] = [];
  const prices: Record<string, ModelPrice> = Object.create(null);
  for (const [model, entry] of Object.entries(value)) {
    const path = `${source.jsonPath}[${JSON.stringify(model)}]`;
    if (model.trim() === '') problems.push(`${path}: the model name is empty`);
    if (!isPlainObject(entry)) {
      problems.push(`${path} must be an object with inputPerToken and outputPerToken`);
      continue;
    }
    const entryProblems = priceProblems(entry, path);
    problems.push(...entryProblems);
    if (entryProblems.length === 0) {
      const input = entry.inputPerToken as number;
      prices[model] = Object.freeze({
        inputPerToken: input,
        cachedInputPerToken: (entry.cachedInputPerToken as number | undefined) ?? input,
        outputPerToken: entry.outputPerToken as number,
      });
    }
  }
  if (problems.length) throw new PriceOverridesError(problems, source);
  return prices;
}

function priceProblems(entry: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(entry)) {
    if ((PRICE_KEYS as readonly string[]).includes(key)) continue;
    const suggestion = closestName(key, [...PRICE_KEYS]);
    problems.push(`${path}.${key} is not a price field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed: ${PRICE_KEYS.join(', ')}`);
  }
  for (const key of PRICE_KEYS) {
    const price = entry[key];
    if (price === undefined) {
      if (key !== 'cachedInputPerToken') problems.push(`${path}.${key} is missing`);
    } else if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      problems.push(`${path}.${key} must be a number of USD per token, 0 or more (got ${JSON.stringify(price)})`);
    }
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
