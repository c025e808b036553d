import { normalizePlanPath } from './paths';
import { predictPhaseFiles } from './predict-files';
import type { CheckDocument, GeneratorSpec, PhaseCheck, MergeStrategy, Phase, PhaseDocument, PhasePlan, PlanDocument, RateLimit, ResolvedGenerator } from './types';

/** The generator used when a plan names none. */
export const DEFAULT_GENERATOR = 'nx-phases:scaffold';

/** The domain used when a phase names none. */
export const DEFAULT_DOMAIN = 'feature';

/** Rate-limit defaults; a partial `rateLimit` in the plan is merged over these. */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({
  maxConcurrentRequests: 3,
  minDelayBetweenMs: 100,
  requestsPerMinute: 50,
});

/** Builds a `PhasePlan` from a validated document: applies defaults, normalises paths, predicts files, sorts. */
export function buildPlan(document: PlanDocument): PhasePlan {
  const mergeable = new Set(Object.keys(document.merge ?? {}).map(normalizePlanPath));
  return {
    name: document.name,
    generator: resolveGenerator(document.generator ?? DEFAULT_GENERATOR),
    parallel: document.parallel ?? true,
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...document.rateLimit },
    context: (document.context ?? []).map(normalizePlanPath),
    ...(document.check ? { check: buildCheck(document.check) } : {}),
    ...(document.maxCostUsd !== undefined ? { maxCostUsd: document.maxCostUsd } : {}),
    ...buildMerge(document.merge),
    phases: document.phases.map((phase) => buildPhase(phase, mergeable)).sort((a, b) => a.number - b.number),
    addedEdges: [],
  };
}

/** `{ merge }` with normalised paths sorted, or nothing when the plan declares no mergeable file. */
function buildMerge(merge: PlanDocument['merge']): Pick<PhasePlan, 'merge'> {
  const entries = Object.entries(merge ?? {}).map(([file, strategy]) => [normalizePlanPath(file), strategy as MergeStrategy] as const);
  if (entries.length === 0) return {};
  return { merge: Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** Check defaults: 5 minutes, 2 repairs. */
export const DEFAULT_CHECK = Object.freeze({ timeoutSeconds: 300, maxRepairs: 2 });

/** Applies a check's defaults. */
function buildCheck(document: CheckDocument): PhaseCheck {
  const sandbox = document.sandbox === true ? { network: true } : typeof document.sandbox === 'object' ? { network: document.sandbox.network ?? true } : undefined;
  return {
    command: document.command,
    timeoutSeconds: document.timeoutSeconds ?? DEFAULT_CHECK.timeoutSeconds,
    maxRepairs: document.maxRepairs ?? DEFAULT_CHECK.maxRepairs,
    ...(sandbox ? { sandbox } : {}),
  };
}

/** The check a phase runs: its own, none when it opted out (`false`), else the plan's (undefined when neither has one). */
export function effectiveCheck(plan: PhasePlan, phase: Phase): PhaseCheck | undefined {
  if (phase.check === false) return undefined;
  return phase.check ?? plan.check;
}

/** Normalises a generator reference to `{ use, options }`. */
export function resolveGenerator(spec: GeneratorSpec): ResolvedGenerator {
  return typeof spec === 'string' ? { use: spec, options: {} } : { use: spec.use, options: spec.options ?? {} };
}

/** The generator a phase runs with: its own override, or else the plan's. */
export function effectiveGenerator(plan: PhasePlan, phase: Phase): ResolvedGenerator {
  return phase.generator ?? plan.generator;
}

/** Applies a phase's defaults; `plannedFiles` falls back to `predictPhaseFiles` (with the plan's mergeable files). */
function buildPhase(document: PhaseDocument, mergeable: ReadonlySet<string>): Phase {
  const domain = document.domain ?? DEFAULT_DOMAIN;
  const features = document.features ?? [];
  const predictedFiles = document.plannedFiles === undefined;
  const phase: Phase = {
    number: document.number,
    name: document.name,
    domain,
    description: document.description ?? '',
    features,
    dependencies: [...new Set(document.dependencies ?? [])].sort((a, b) => a - b),
    plannedFiles: predictedFiles
      ? predictPhaseFiles({ name: document.name, domain, features }, mergeable)
      : document.plannedFiles!.map(normalizePlanPath),
    predictedFiles,
  };
  if (document.generator !== undefined) phase.generator = resolveGenerator(document.generator);
  if (document.check !== undefined) phase.check = document.check === false ? false : buildCheck(document.check);
  return phase;
}
