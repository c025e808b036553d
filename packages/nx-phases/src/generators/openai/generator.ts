import type { Tree } from '@nx/devkit';
import { DEFAULT_RATE_LIMIT } from '../../plan';
import type { PhaseGeneratorOptions, PhaseRepair, PhaseRuntime } from '../../runtime/phase-generator';
import { CrossProcessRateLimiter, rateLimitStateDir } from '../../runtime/rate-limit';
import { phaseCallBudget } from './call-budget';
import { redisLimiterStore } from '../../runtime/store/redis-limiter-store';
import { releaseRedisStore, useRedisStore, type RedisStore } from '../../runtime/store/store-client';
import { requestPhaseFiles } from './client';
import { MissingApiKeyError, OpenAIGeneratorError, toSafeError } from './errors';
import { resolveOpenAIOptions } from './options';
import { safeProgress } from './progress';
import { buildPhasePrompt, chatMessages, type PhasePrompt } from './prompt';
import { countChatTokens, priceFor } from '../../cost';
import { mergePriceOverrides, readWorkspacePriceOverrides } from '../../runtime/cost/workspace-prices';
import type { OpenAIGeneratorOptions } from './schema';
import { readSnapshotFiles } from './snapshot-files';

export { openaiCacheKeyFields, type OpenAICacheKeyFields } from './cache-key';
export { PROMPT_TEMPLATE_VERSION } from './prompt';
export type { OpenAIGeneratorOptions } from './schema';

/**
 * `nx-phases:openai`: an OpenAI-compatible model writes the phase's planned files into the tree
 * (the phase's snapshot). Fails before any network call when options are invalid or the API key
 * variable is unset; every error it throws has the key redacted.
 */
export default async function openaiGenerator(tree: Tree, options: PhaseGeneratorOptions & OpenAIGeneratorOptions): Promise<void> {
  if (!options.phase) {
    throw new OpenAIGeneratorError(
      'nx-phases:openai generates one phase of a plan. Run it through the nx-phases:phase executor, e.g. `nx run-many -t phase`.',
    );
  }
  const resolved = resolveOpenAIOptions(options, options.runtime?.where);
  const apiKey = readApiKey(resolved.apiKeyEnv);
  const base = options.runtime ?? defaultRuntime(tree);
  const runtime: PhaseRuntime = { ...base, progress: safeProgress(base.progress, apiKey) };
  const { phase } = options;
  let redis: RedisStore | undefined;
  try {
    const prompt = buildPhasePrompt({
      planName: options.plan?.name ?? '',
      phase,
      dependencies: options.dependencies ?? [],
      context: options.context ?? [],
      files: readSnapshotFiles(tree),
      maxContextTokens: resolved.maxContextTokens,
      model: resolved.model,
      systemPrompt: resolved.systemPrompt,
      merge: options.plan?.merge,
    });
    if (runtime.repair) addRepairTurn(prompt, tree, phase.plannedFiles, runtime.repair, resolved.model);
    redis = await useRedisStore();
    const limiter = new CrossProcessRateLimiter({
      ...(redis ? { store: redisLimiterStore(redis, resolved.baseURL, resolved.model) } : { stateDir: rateLimitStateDir(runtime.workspaceRoot, resolved.baseURL, resolved.model) }),
      limits: runtime.rateLimit,
    });
    const prices = mergePriceOverrides(readWorkspacePriceOverrides(runtime.workspaceRoot), resolved.prices);
    const budget = phaseCallBudget(runtime, resolved, `${phase.number} "${phase.name}"`, prices);
    const price = priceFor(resolved.model, prices);
    const reply = await requestPhaseFiles({ prompt, plannedFiles: phase.plannedFiles, options: resolved, apiKey, runtime, limiter, budget, price });
    for (const file of reply.files) tree.write(file.path, file.content);
  } catch (error) {
    const context = `nx-phases:openai could not generate phase ${phase.number} "${phase.name}" with ${resolved.model} at ${resolved.baseURL}`;
    throw toSafeError(error, apiKey, context, resolved, options.runtime?.where);
  } finally {
    if (redis) releaseRedisStore();
  }
}

/**
 * Turns a repair into a follow-up turn: the assistant's previous reply (the phase's planned files as the snapshot now
 * holds them, in the reply format) and a user message with the check's diagnostics and the files they point at.
 * A repair edits the previous attempt's files: a file the reply leaves out keeps its content (README "Repairs").
 */
function addRepairTurn(prompt: PhasePrompt, tree: Tree, plannedFiles: string[], repair: PhaseRepair, model: string): void {
  const files = plannedFiles.filter((path) => tree.exists(path)).map((path) => ({ path, content: tree.read(path, 'utf8') ?? '' }));
  const assistant = JSON.stringify({ files, notes: '' });
  const user =
    `The check \`${repair.check}\` failed on the files you wrote (repair ${repair.attempt} of ${repair.maxRepairs}). ` +
    `Files it points at: ${repair.files.join(', ') || '(none)'}.\n\n${repair.diagnostics}\n\n` +
    'Fix the problems and answer in the same JSON format with the files you change; a planned file you leave out keeps the content above.';
  prompt.followUp = { assistant, user };
  prompt.estimatedTokens = countChatTokens(chatMessages(prompt), model).tokens;
}

function readApiKey(apiKeyEnv: string): string {
  const key = process.env[apiKeyEnv];
  if (!key) throw new MissingApiKeyError(apiKeyEnv);
  return key;
}

/** Hooks for a run outside the executor (`nx g`): the current folder as workspace, default limits, silent progress. */
function defaultRuntime(tree: Tree): PhaseRuntime {
  return {
    workspaceRoot: process.cwd(),
    snapshotRoot: tree.root,
    rateLimit: { ...DEFAULT_RATE_LIMIT },
    progress: () => undefined,
    recordUsage: () => undefined,
    signal: new AbortController().signal,
  };
}
