import type { Phase } from '../plan/types';
import { toKebabCase } from '../plan';
import { closestName } from '../plan/did-you-mean';
import { parsePriceOverrides } from '../cost';
import { resolveStoreSetting, StoreSettingError } from '../runtime/store/store-setting';

/** Options of the nx-phases plugin entry in nx.json. */
export interface NxPhasesPluginOptions {
  /** Name of each phase project's target (default `phase`); also the plan project's aggregate target. */
  targetName?: string;
  /** Template for phase project names: `{plan}`, `{number}` and `{name}` (kebab-case) are replaced. */
  projectName?: string;
  /** Budget in USD for each run's LLM calls in this workspace (see `resolveMaxCostUsd`). */
  maxCostUsd?: number;
  /** USD per token by model name, overriding the pinned price table (see src/cost). */
  prices?: Record<string, { inputPerToken: number; cachedInputPerToken?: number; outputPerToken: number }>;
  /** The coordination store: `file` (default) or a `redis://` URL shared by every machine; `NX_PHASES_STORE` overrides it. */
  store?: string;
  /** `file`: run on this workspace's files when the Redis store is unreachable at the start (default: fail). */
  storeFallback?: string;
}

/** Plugin options with defaults applied. */
export type NormalizedPluginOptions = Required<Pick<NxPhasesPluginOptions, 'targetName' | 'projectName'>> & Pick<NxPhasesPluginOptions, 'maxCostUsd' | 'store' | 'storeFallback'>;

/** The option names the plugin entry in nx.json accepts. */
const PLUGIN_OPTION_NAMES = ['targetName', 'projectName', 'maxCostUsd', 'prices', 'store', 'storeFallback'] as const;

/** A mistake in the nx-phases entry of nx.json's `plugins`: the whole workspace's configuration, so it is not local to a plan. */
export class PluginOptionsError extends Error {}

/**
 * Applies defaults (target `phase`, projects named `<plan>-<number>-<kebab(name)>`) after checking the options: an
 * unknown key or a value that is not a non-empty string is a PluginOptionsError with a did-you-mean and the fix.
 */
export function normalizePluginOptions(options: NxPhasesPluginOptions | undefined): NormalizedPluginOptions {
  checkPluginOptions(options);
  return {
    targetName: options?.targetName ?? 'phase',
    projectName: options?.projectName ?? '{plan}-{number}-{name}',
    ...(options?.maxCostUsd !== undefined ? { maxCostUsd: options.maxCostUsd } : {}),
    ...(options?.store !== undefined ? { store: options.store } : {}),
    ...(options?.storeFallback !== undefined ? { storeFallback: options.storeFallback } : {}),
  };
}

/** The project name of one phase, e.g. `shop-3-auth` (`shop-3-phase` when the name has no ASCII letters or digits). */
export function phaseProjectName(options: NormalizedPluginOptions, planName: string, phase: Phase): string {
  return options.projectName
    .replace('{plan}', planName)
    .replace('{number}', String(phase.number))
    .replace('{name}', toKebabCase(phase.name) || 'phase');
}

/** Throws PluginOptionsError for an unknown option or a value that is not a non-empty string. */
function checkPluginOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  const where = 'nx.json: plugins[nx-phases].options';
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new PluginOptionsError(`${where} must be an object. Fix: give { "targetName": "phase" } or leave "options" out.`);
  }
  const allowed: readonly string[] = PLUGIN_OPTION_NAMES;
  for (const [key, value] of Object.entries(options)) {
    if (!allowed.includes(key)) {
      const suggestion = closestName(key, [...allowed]);
      const hint = suggestion ? `Did you mean "${suggestion}"? ` : '';
      throw new PluginOptionsError(`${where}.${key}: Unknown option "${key}" for the nx-phases plugin. Fix: ${hint}Allowed options: ${allowed.join(', ')}.`);
    }
    if (key === 'prices') {
      checkPrices(value);
      continue;
    }
    if (key === 'maxCostUsd') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new PluginOptionsError(`${where}.maxCostUsd: must be a number of US dollars, 0 or more, got ${JSON.stringify(value)}. Fix: e.g. "maxCostUsd": 5, or remove the option.`);
      }
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new PluginOptionsError(`${where}.${key}: must be a non-empty string, got ${JSON.stringify(value)}. Fix: give a name such as "phase", or remove the option.`);
    }
  }
  const projectName = (options as NxPhasesPluginOptions).projectName;
  if (projectName !== undefined && !projectName.includes('{number}')) {
    throw new PluginOptionsError(`${where}.projectName: "${projectName}" has no {number}, so two phases of a plan would get one project name. Fix: include {number}, e.g. "{plan}-{number}-{name}".`);
  }
  const { store, storeFallback } = options as NxPhasesPluginOptions;
  try {
    resolveStoreSetting({ env: {}, option: store, fallbackOption: storeFallback });
  } catch (error) {
    if (error instanceof StoreSettingError) throw new PluginOptionsError(error.message);
    throw error;
  }
}

/** The `prices` option: checked like the plan's (closed fields, did-you-mean), reported as a PluginOptionsError. */
function checkPrices(value: unknown): void {
  try {
    parsePriceOverrides(value, { file: 'nx.json', jsonPath: 'plugins[nx-phases].options.prices' });
  } catch (error) {
    throw new PluginOptionsError((error as Error).message);
  }
}
