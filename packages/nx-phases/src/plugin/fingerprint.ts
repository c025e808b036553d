import { openaiCacheKeyFields } from '../generators/openai/cache-key';
import { effectiveCheck, effectiveGenerator, plannedMergeStrategies, topologicalOrder } from '../plan';
import type { Phase, PhasePlan, ResolvedGenerator } from '../plan/types';
import { hashValue } from '../runtime/hash';
import type { LoadedPlan } from '../runtime/load-plan';
import { CODE_VERSION } from '../code-version';
import { generatorPackageVersion } from './generator-version';

/**
 * The part of a phase's cache key that Nx cannot see on disk: its own spec (after conflict resolution),
 * what its generator is told about its dependencies (their names, domains and features, chained through
 * `dependencySpecHashes`), the effective generator, its settings and its package version, the shared
 * context list, where it writes, its check (command, maxRepairs, its own sandbox), and the plugin's code version. Never plan-wide data, so editing one
 * phase misses only it and the phases that are told about it.
 */
export function phaseFingerprint(loaded: LoadedPlan, phase: Phase, dependencySpecs: Map<number, string>, workspaceRoot: string): string {
  const { number, name, domain, description, features, dependencies, plannedFiles } = phase;
  const generator = effectiveGenerator(loaded.plan, phase);
  const check = effectiveCheck(loaded.plan, phase);
  return hashValue({
    codeVersion: CODE_VERSION,
    plan: { name: loaded.plan.name, appRoot: loaded.appRoot, context: loaded.plan.context },
    phase: { number, name, domain, description, features, dependencies, plannedFiles },
    ...plannedMergeStrategies(loaded.plan, phase),
    dependencySpecs: dependencies.map((n) => dependencySpecs.get(n)),
    generator: generatorKey(generator),
    generatorVersion: generatorPackageVersion(generator.use, workspaceRoot),
    // Only the command, the repair bound and the check's own sandbox change the result; the time limit does not. Absent when no check runs.
    ...(check ? { check: { command: check.command, maxRepairs: check.maxRepairs, ...(check.sandbox ? { sandbox: check.sandbox } : {}) } } : {}),
  }).slice(0, 32);
}

/**
 * Per phase, a hash of what a dependent's generator is told about it and, transitively, about its own
 * dependencies (number, name, domain, features). Computed once per plan in topological order: O(edges).
 */
export function dependencySpecHashes(plan: PhasePlan): Map<number, string> {
  const byNumber = new Map(plan.phases.map((p) => [p.number, p]));
  const hashes = new Map<number, string>();
  for (const n of topologicalOrder(plan)) {
    const { number, name, domain, features, dependencies } = byNumber.get(n)!;
    hashes.set(n, hashValue([number, name, domain, features, dependencies.map((d) => hashes.get(d))]));
  }
  return hashes;
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

