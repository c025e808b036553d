import { type ModelPrice, parsePriceOverrides } from '../../cost';
import type { PhaseRuntime } from '../../runtime/phase-generator';
import type { OpenAIGeneratorOptions } from './schema';

/** The generator's options with every default applied. */
export interface ResolvedOpenAIOptions {
  model: string;
  /** Without a trailing slash. */
  baseURL: string;
  apiKeyEnv: string;
  temperature: number;
  maxContextTokens: number;
  maxOutputTokens: number;
  timeoutMs: number;
  maxRetries: number;
  maxRetryAfterMs: number;
  systemPrompt?: string;
  /** The plan's price overrides (checked, cachedInputPerToken filled in); absent when it sets none. */
  prices?: Record<string, ModelPrice>;
}

/** Defaults of the `nx-phases:openai` options (they match schema.json). */
const OPENAI_DEFAULTS: Readonly<Omit<ResolvedOpenAIOptions, 'systemPrompt' | 'prices'>> = Object.freeze({
  model: 'gpt-4.1-mini',
  baseURL: 'https://api.openai.com/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
  temperature: 0,
  maxContextTokens: 12_000,
  maxOutputTokens: 8_000,
  timeoutMs: 120_000,
  maxRetries: 6,
  maxRetryAfterMs: 600_000,
});

/** Apply defaults (no validation; see `validateOpenAIOptions`). */
export function withOpenAIDefaults(options: OpenAIGeneratorOptions): ResolvedOpenAIOptions {
  const pick = <K extends keyof typeof OPENAI_DEFAULTS>(key: K) => (options[key] ?? OPENAI_DEFAULTS[key]) as (typeof OPENAI_DEFAULTS)[K];
  return {
    model: pick('model'),
    baseURL: String(pick('baseURL')).replace(/\/+$/, ''),
    apiKeyEnv: pick('apiKeyEnv'),
    temperature: pick('temperature'),
    maxContextTokens: pick('maxContextTokens'),
    maxOutputTokens: pick('maxOutputTokens'),
    timeoutMs: pick('timeoutMs'),
    maxRetries: pick('maxRetries'),
    maxRetryAfterMs: pick('maxRetryAfterMs'),
    ...(options.systemPrompt !== undefined ? { systemPrompt: options.systemPrompt } : {}),
  };
}

/**
 * Apply defaults and check types and ranges; throws `InvalidOpenAIOptionsError` naming every bad option and,
 * when the executor passes it (`where`), the plan file and the options' JSON path.
 */
export function resolveOpenAIOptions(options: OpenAIGeneratorOptions, where?: PhaseRuntime['where']): ResolvedOpenAIOptions {
  const resolved = withOpenAIDefaults(options);
  const problems = [
    ...['model', 'baseURL', 'apiKeyEnv'].filter((key) => !isNonEmptyString(resolved[key as 'model'])).map((key) => `${key} must be a non-empty string`),
    ...(resolved.systemPrompt !== undefined && typeof resolved.systemPrompt !== 'string' ? ['systemPrompt must be a string'] : []),
    ...rangeProblem('temperature', resolved.temperature, 0, 2, false),
    ...rangeProblem('maxContextTokens', resolved.maxContextTokens, 256),
    ...rangeProblem('maxOutputTokens', resolved.maxOutputTokens, 1),
    ...rangeProblem('timeoutMs', resolved.timeoutMs, 1),
    ...rangeProblem('maxRetries', resolved.maxRetries, 0),
    ...rangeProblem('maxRetryAfterMs', resolved.maxRetryAfterMs, 0),
  ];
  if (problems.length) throw new InvalidOpenAIOptionsError(problems, where);
  const prices = parsePriceOverrides(options.prices, {
    file: where?.planFile ?? "the generator's options",
    jsonPath: `${where?.jsonPath ?? 'options'}.prices`,
  });
  return prices ? { ...resolved, prices } : resolved;
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function rangeProblem(key: string, value: unknown, min: number, max = Infinity, integer = true): string[] {
  const ok = typeof value === 'number' && value >= min && value <= max && (!integer || Number.isInteger(value));
  const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
  return ok ? [] : [`${key} must be ${integer ? 'an integer' : 'a number'} ${range} (got ${JSON.stringify(value)})`];
}

/** The generator's options are malformed; the message lists each problem. */
export class InvalidOpenAIOptionsError extends Error {
  constructor(problems: string[], where?: PhaseRuntime['where']) {
    const fix = where ? `Fix them at ${where.jsonPath} in ${where.planFile}.` : "Fix them in the plan's generator options.";
    super(`Invalid nx-phases:openai options: ${problems.join('; ')}. ${fix}`);
    this.name = 'InvalidOpenAIOptionsError';
  }
}
