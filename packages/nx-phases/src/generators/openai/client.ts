import OpenAI, { APIError, BadRequestError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { PhaseRuntime } from '../../runtime/phase-generator';
import { countdown, CrossProcessRateLimiter, formatSeconds, parseProviderFeedback, retryLimit, withRetries } from '../../runtime/rate-limit';
import { shortReason } from './errors';
import type { PhaseCallBudget, ReservedCall } from './call-budget';
import { classifyOpenAIFailure } from './failures';
import type { ResolvedOpenAIOptions } from './options';
import { waitTitle } from './progress';
import { fetchReportingSend, warmUpFetch } from './send-hook';
import { chatMessages, type PhasePrompt } from './prompt';
import { PHASE_REPLY_SCHEMA, parsePhaseReply, PhaseReply } from './response';
import { costOfUsage, countTokens, type ModelPrice, type TokenUsage } from '../../cost';

/** Everything one phase's generation request needs. */
export interface PhaseRequest {
  prompt: PhasePrompt;
  plannedFiles: string[];
  options: ResolvedOpenAIOptions;
  apiKey: string;
  /** Progress must already be redacted (see `safeProgress`). */
  runtime: PhaseRuntime;
  limiter: CrossProcessRateLimiter;
  /** The run's budget, when one is set: every attempt reserves its worst case before it is sent. */
  budget?: PhaseCallBudget;
  /** The model's price (overrides applied); undefined when unknown, and each call's cost is then recorded as unknown. */
  price?: ModelPrice;
}

type ReplyFormat = 'json_schema' | 'json_object';

/**
 * Ask the model for the phase's files through the openai SDK (its own retries off). Every attempt
 * takes a limiter slot and reports when its request is on the wire; failures are retried per `classifyOpenAIFailure` with backoff or the
 * server's Retry-After (shared with other processes through the limiter), showing a countdown.
 * A 400 to the json_schema request switches to json_object once, without using a retry.
 * Usage (calls, retries, tokens, waitMs) is reported through `runtime.recordUsage`, and each rate-limit wait and
 * retry (failed attempt plus backoff) through `runtime.recordWait` for the run's Gantt chart.
 */
export async function requestPhaseFiles(request: PhaseRequest): Promise<PhaseReply> {
  const { options, runtime, limiter } = request;
  let reportSent: () => void = () => undefined;
  const client = new OpenAI({
    apiKey: request.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'off',
    fetch: fetchReportingSend(() => reportSent()),
  });
  await warmUpFetch();
  let format: ReplyFormat = 'json_schema';
  let calls = 0;
  let attemptStartedAt = Date.now();
  const attemptOnce = async (): Promise<PhaseReply> => {
    const reserved = await request.budget?.reserve(request.prompt);
    let sent = false;
    const lease = await limiter
      .acquire({
        tokens: request.prompt.estimatedTokens + options.maxOutputTokens,
        signal: runtime.signal,
        onWait: (status) => runtime.progress(waitTitle(status)),
        maxPauseMs: options.maxRetryAfterMs,
      })
      .catch(async (error) => {
        await reserved?.release();
        throw error;
      });
    reportSent = () => {
      sent = true;
      void lease.markSent();
    };
    attemptStartedAt = Date.now();
    if (lease.waitedMs > 0) runtime.recordWait?.('rate-limit', attemptStartedAt - lease.waitedMs, attemptStartedAt);
    runtime.recordUsage({ calls: 1, retries: calls++ > 0 ? 1 : 0, waitMs: lease.waitedMs });
    const generating = `Generating (${options.model}, ~${request.prompt.estimatedTokens} prompt tokens`;
    runtime.progress(`${generating})`);
    let usedTokens: number | undefined;
    try {
      // A fresh signal per attempt: the SDK leaves a listener on the signal it gets.
      const signal = AbortSignal.any([runtime.signal]);
      const { data: completion, response } = await client.chat.completions.create(requestBody(request, format), { signal }).withResponse();
      await limiter.tighten(parseProviderFeedback(response.headers)); // before the slot is freed, so no one starts past it
      const choice = completion.choices?.[0];
      const usage = usageOf(completion, request.prompt, options.model);
      await reserved?.settle(usage);
      usedTokens = usage.promptTokens + usage.completionTokens;
      runtime.recordUsage({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens });
      runtime.recordCost?.({ usd: request.price ? costOfUsage(usage, request.price) : null, model: options.model });
      runtime.progress(`${generating} → ${usage.completionTokens} output tokens)`);
      return parsePhaseReply(choice?.message?.content, choice?.finish_reason, request.plannedFiles);
    } catch (error) {
      await shareServerLimits(error, limiter);
      await closeUnsettled(reserved, error, sent);
      // A call that was never sent, or that the server refused with an error status, is not billed: it costs 0
      // (unknown when the model has no price). One sent without an answer may be billed: its cost is unknown, and
      // says why (its usage was never reported), so the summary does not blame a price the model has.
      if (notBilled(error, sent)) runtime.recordCost?.({ usd: request.price ? 0 : null, model: options.model });
      else runtime.recordCost?.({ usd: null, model: options.model, ...(request.price ? { unanswered: true as const } : {}) });
      throw error;
    } finally {
      await lease.release(usedTokens);
    }
  };
  const attempt = async (): Promise<PhaseReply> => {
    try {
      return await attemptOnce();
    } catch (error) {
      if (format !== 'json_schema' || !(error instanceof BadRequestError)) throw error;
      format = 'json_object';
      runtime.progress('The server rejected response_format json_schema; retrying with json_object');
      return attemptOnce();
    }
  };
  return withRetries(attempt, {
    maxRetries: options.maxRetries,
    maxRetryAfterMs: options.maxRetryAfterMs,
    classify: classifyOpenAIFailure,
    wait: async (delayMs, retry, error) => {
      const failure = classifyOpenAIFailure(error);
      if (failure.retryAfterMs !== undefined) await limiter.pauseUntil(Date.now() + delayMs);
      const attemptLabel = `attempt ${retry + 1} of ${retryLimit(failure, options) + 1} after ${shortReason(error)}`;
      await countdown(delayMs, (remaining) => runtime.progress(`Retrying in ${formatSeconds(remaining)} (${attemptLabel})`), runtime.signal);
      runtime.recordUsage({ waitMs: delayMs });
      // The failed attempt and the backoff after it: time the phase lost to this retry.
      runtime.recordWait?.('retry', attemptStartedAt, Date.now());
    },
  });
}

/** The longest pause a server's Retry-After puts on every process (a larger value is taken as one day). */
export const MAX_SHARED_PAUSE_MS = 24 * 60 * 60 * 1000;

/**
 * An error response's rate-limit headers tighten the shared limiter, and its Retry-After pauses every process (up to
 * a day), before the failed attempt's slot is freed: even when this phase gives up because the wait exceeds its
 * maxRetryAfterMs, no other phase sends before the server said it may.
 */
async function shareServerLimits(error: unknown, limiter: CrossProcessRateLimiter): Promise<void> {
  if (!(error instanceof APIError) || !error.headers) return;
  await limiter.tighten(parseProviderFeedback(error.headers));
  const retryAfterMs = classifyOpenAIFailure(error).retryAfterMs;
  if (retryAfterMs !== undefined) await limiter.pauseUntil(Date.now() + Math.min(retryAfterMs, MAX_SHARED_PAUSE_MS));
}

/**
 * A failed attempt's reservation: released when nothing was sent or the server answered with an error status (not
 * billed); kept in full when the request was sent but no answer came (timeout, dropped connection), as the provider
 * may have billed it. A call already settled to its usage is left alone.
 */
async function closeUnsettled(reserved: ReservedCall | undefined, error: unknown, sent: boolean): Promise<void> {
  if (!reserved) return;
  if (notBilled(error, sent)) await reserved.release();
  else await reserved.settleWorstCase();
}

/** A failed call the provider cannot bill: never sent, or answered with an error status. */
function notBilled(error: unknown, sent: boolean): boolean {
  return !sent || (error instanceof APIError && typeof error.status === 'number');
}

function requestBody(request: PhaseRequest, format: ReplyFormat): ChatCompletionCreateParamsNonStreaming {
  const { options, prompt } = request;
  return {
    model: options.model,
    temperature: options.temperature,
    max_completion_tokens: options.maxOutputTokens,
    messages: chatMessages(prompt),
    response_format:
      format === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: 'phase_files', strict: true, schema: PHASE_REPLY_SCHEMA as unknown as Record<string, unknown> } }
        : { type: 'json_object' },
  };
}

/** Real usage from the reply when the server reports it (well-formed), else the counts (`countTokens`: exact for OpenAI-family models). */
function usageOf(completion: ChatCompletion, prompt: PhasePrompt, model: string): TokenUsage {
  const content = completion.choices?.[0]?.message?.content ?? '';
  const cached = count(completion.usage?.prompt_tokens_details?.cached_tokens);
  return {
    ...(cached ? { cachedPromptTokens: cached } : {}),
    promptTokens: count(completion.usage?.prompt_tokens) ?? prompt.estimatedTokens,
    completionTokens: count(completion.usage?.completion_tokens) ?? countTokens(content, model).tokens,
  };
}

/** A token count the server reported, if it is one (a finite number ≥ 0); anything else is ignored. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
