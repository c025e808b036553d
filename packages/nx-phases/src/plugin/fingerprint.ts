import { PLUGIN_VERSION } from '../constants';
import { openaiCacheKeyFields } from '../generators/openai/cache-key';
import { effectiveGenerator } from '../plan';
import type { Phase, ResolvedGenerator } from '../plan/types';
import { hashValue } from '../runtime/hash';
import type { LoadedPlan } from '../runtime/load-plan';

/**
 * The part of a phase's cache key that Nx cannot see on disk: its own spec (after conflict
 * resolution), the effective generator and its settings, the shared context list, where it
 * writes, and the plugin version. Never plan-wide data, so editing one phase misses only it.
 */
export function phaseFingerprint(loaded: LoadedPlan, phase: Phase): string {
  const { number, name, domain, description, features, dependencies, plannedFiles } = phase;
  return hashValue({
    pluginVersion: PLUGIN_VERSION,
    plan: { name: loaded.plan.name, appRoot: loaded.appRoot, context: loaded.plan.context },
    phase: { number, name, domain, description, features, dependencies, plannedFiles },
    generator: generatorKey(effectiveGenerator(loaded.plan, phase)),
  }).slice(0, 32);
}

/**
 * What of the generator belongs in the key. For `nx-phases:openai` only what changes the request (model,
 * baseURL, temperature, token budgets, system prompt, prompt template version), never the API key, so
 * tuning retries or timeouts does not pay for the phase again. Other generators: all their options.
 */
function generatorKey(generator: ResolvedGenerator): unknown {
  if (generator.use !== 'nx-phases:openai') return generator;
  return { use: generator.use, ...openaiCacheKeyFields(generator.options) };
}
