import { encodingFor, estimatePhase, PRICE_TABLE_DATE, priceFor, summarizeEstimate, type PhaseEstimateInput, type PlanEstimate } from '../../cost';
import { buildPhasePrompt } from '../../generators/openai/prompt';
import { resolveOpenAIOptions } from '../../generators/openai/options';
import { readSnapshotFiles } from '../../generators/openai/snapshot-files';
import { replySchemaTokens } from '../../generators/openai/response';
import { effectiveCheck, effectiveGenerator, plannedMergeStrategies, topologicalOrder, transitiveDependencies } from '../../plan';
import type { Phase, PhasePlan } from '../../plan/types';
import { dependencySpecHashes, phaseFingerprint } from '../../plugin/fingerprint';
import { estimateDurations } from '../../report/durations';
import { manifestDurations, readPhaseManifests } from '../../report/read-manifests';
import { criticalPath } from '../../report/schedule';
import type { LoadedPlan } from '../load-plan';
import type { PhaseManifest } from '../manifest';
import { FsTree } from '../nx-tree';
import type { DependencyOutput } from '../phase-generator';
import { REPAIRING_GENERATORS } from '../pipeline/check-step';
import { findCommittedResult } from '../reuse/committed-result';
import { buildSnapshot } from '../snapshot';
import { mergePriceOverrides, readWorkspacePriceOverrides } from './workspace-prices';

/** Output tokens expected per planned file when the phase has never run (about 50 lines of code); `--outputTokensPerFile` changes it. */
export const DEFAULT_OUTPUT_TOKENS_PER_FILE = 500;

/** What the estimate needs besides the plan. */
export interface EstimateRequest {
  workspaceRoot: string;
  loaded: LoadedPlan;
  outputTokensPerFile?: number;
}

/**
 * Estimates what running the plan now would cost, before anything is sent: per phase the prompt counted on the prompt
 * the openai generator would build now (the same builder, on the snapshot it would see: its context and its
 * dependencies' recorded outputs), the output allowance, expected and worst-case cost, whether its committed result
 * would be reused (cached: cost 0), and the critical path's expected time. Reads records only; writes nothing but
 * temporary snapshot folders, which it removes.
 */
export function estimatePlan(request: EstimateRequest): PlanEstimate {
  const { workspaceRoot, loaded } = request;
  const { plan } = loaded;
  const manifests = readPhaseManifests(workspaceRoot, loaded.appRoot, plan.phases.map((p) => p.number));
  const durations = estimateDurations(plan, manifestDurations(manifests));
  const specs = dependencySpecHashes(plan);
  const workspacePrices = readWorkspacePriceOverrides(workspaceRoot);
  const byNumber = new Map(plan.phases.map((p) => [p.number, p]));
  const cached = new Set<number>();
  const inputs: PhaseEstimateInput[] = [];
  for (const number of topologicalOrder(plan)) {
    const phase = byNumber.get(number)!;
    const input = phaseInput(request, phase, manifests, specs, workspacePrices, cached, durations?.ms.get(number));
    if (input.cached) cached.add(number);
    inputs.push(input);
  }
  inputs.sort((a, b) => a.number - b.number);
  const phases = inputs.map(estimatePhase);
  const expectedMs = new Map(inputs.map((input) => [input.number, input.expectedMs ?? 0]));
  const path = durations ? criticalPath(plan, (n) => expectedMs.get(n) ?? 0) : undefined;
  return summarizeEstimate(
    { plan: plan.name, planFile: loaded.planFile, priceTableDate: PRICE_TABLE_DATE },
    phases,
    path ? { phases: path.phases, expectedMs: path.length } : undefined,
  );
}

function phaseInput(
  request: EstimateRequest,
  phase: Phase,
  manifests: Map<number, PhaseManifest>,
  specs: Map<number, string>,
  workspacePrices: ReturnType<typeof readWorkspacePriceOverrides>,
  cachedSoFar: Set<number>,
  measuredMs: number | undefined,
): PhaseEstimateInput {
  const { workspaceRoot, loaded } = request;
  const { plan } = loaded;
  const generator = effectiveGenerator(plan, phase);
  const dependencies = transitiveDependencies(plan, phase.number);
  const pending = dependencies.filter((n) => !manifests.has(n));
  const fingerprint = phaseFingerprint(loaded, phase, specs, workspaceRoot);
  const snapshot = buildSnapshot({ workspaceRoot, appRoot: loaded.appRoot, plan: pending.length ? withoutPhases(plan, new Set(pending)) : plan, phase });
  try {
    // Reused only when every dependency is reused too: a dependency that runs again may change this phase's snapshot.
    const depsReused = dependencies.every((n) => cachedSoFar.has(n));
    const cached =
      depsReused &&
      findCommittedResult({ workspaceRoot, appRoot: loaded.appRoot, phase, fingerprint, snapshotHash: snapshot.hash, plan }) !== undefined;
    const base = { number: phase.number, name: phase.name, generator: generator.use, cached, expectedMs: cached ? 0 : measuredMs };
    if (generator.use !== 'nx-phases:openai') return base;
    const where = { planFile: loaded.planFile, jsonPath: phase.generator ? `${loaded.jsonPaths.get(phase.number)}.generator.options` : 'generator.options' };
    const options = resolveOpenAIOptions(generator.options, where);
    const files = readSnapshotFiles(new FsTree(snapshot.root, false));
    const pendingOutputs = pending.map((n) => dependencyOutput(byNumberOf(plan, n)));
    const prompt = buildPhasePrompt({
      planName: plan.name,
      phase,
      dependencies: orderByTopology(plan, [...snapshot.dependencies, ...pendingOutputs]),
      context: snapshot.context,
      files: [...files, ...pendingOutputs.flatMap((d) => d.files.filter((f) => !files.some((x) => x.path === f)).map((path) => ({ path, content: null })))],
      maxContextTokens: options.maxContextTokens,
      model: options.model,
      systemPrompt: options.systemPrompt,
      merge: plannedMergeStrategies(plan, phase).merge,
    });
    const check = effectiveCheck(plan, phase);
    const previous = manifests.get(phase.number);
    const perCall = previous && previous.usage.calls > 0 ? Math.round(previous.usage.completionTokens / previous.usage.calls) : undefined;
    const perFile = request.outputTokensPerFile ?? DEFAULT_OUTPUT_TOKENS_PER_FILE;
    return {
      ...base,
      llm: {
        model: options.model,
        promptTokens: prompt.estimatedTokens,
        exact: countIsExact(options.model),
        pendingDependencies: pending.length,
        maxContextTokens: options.maxContextTokens,
        maxOutputTokens: options.maxOutputTokens,
        schemaTokens: replySchemaTokens(options.model),
        expectedOutputTokens: Math.min(options.maxOutputTokens, perCall ?? perFile * phase.plannedFiles.length),
        outputBasis: perCall !== undefined ? 'previous run' : 'per planned file',
        maxCalls: 1 + (check && REPAIRING_GENERATORS.has(generator.use) ? check.maxRepairs : 0),
        price: priceFor(options.model, mergePriceOverrides(workspacePrices, options.prices)),
      },
    };
  } finally {
    snapshot.dispose();
  }
}

/** The plan without the given phases (dependencies on them dropped): the part whose records exist. */
function withoutPhases(plan: PhasePlan, drop: Set<number>): PhasePlan {
  return {
    ...plan,
    phases: plan.phases.filter((p) => !drop.has(p.number)).map((p) => ({ ...p, dependencies: p.dependencies.filter((d) => !drop.has(d)) })),
  };
}

/** What a dependency that has not run yet tells the prompt: its spec, and its planned files (paths only). */
function dependencyOutput(phase: Phase): DependencyOutput {
  return { number: phase.number, name: phase.name, domain: phase.domain, features: phase.features, files: phase.plannedFiles };
}

function byNumberOf(plan: PhasePlan, n: number): Phase {
  return plan.phases.find((p) => p.number === n)!;
}

function orderByTopology(plan: PhasePlan, outputs: DependencyOutput[]): DependencyOutput[] {
  const order = new Map(topologicalOrder(plan).map((n, i) => [n, i]));
  return [...outputs].sort((a, b) => order.get(a.number)! - order.get(b.number)!);
}

function countIsExact(model: string): boolean {
  return encodingFor(model) !== undefined;
}
