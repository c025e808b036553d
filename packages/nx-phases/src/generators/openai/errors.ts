import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { RetriesExhaustedError } from '../../runtime/rate-limit';
import { redactSecret } from '../../runtime/redact';
import type { PhaseRuntime } from '../../runtime/phase-generator';
import type { ResolvedOpenAIOptions } from './options';
import { unreachableCode } from './unreachable';

/** A failure of the `nx-phases:openai` generator; its message and stack never contain the API key. */
export class OpenAIGeneratorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenAIGeneratorError';
  }
}

/** The environment variable named by `apiKeyEnv` is not set; thrown before any network call. */
export class MissingApiKeyError extends OpenAIGeneratorError {
  constructor(apiKeyEnv: string) {
    const which = apiKeyEnv === 'OPENAI_API_KEY' ? 'OPENAI_API_KEY (or options.apiKeyEnv)' : `${apiKeyEnv} (named by options.apiKeyEnv)`;
    super(
      `Set ${which} to your API key before running this phase. Servers that need no key (Ollama, vLLM, LM Studio) ` +
        `accept any value, e.g. ${apiKeyEnv}=local.`,
    );
    this.name = 'MissingApiKeyError';
  }
}


/**
 * A fresh `OpenAIGeneratorError` for anything thrown while generating: `context` plus an
 * explanation with a hint, with the key redacted. It keeps no `cause`, headers or response
 * body of the original, so nothing else can echo the key when the error is printed.
 */
export function toSafeError(error: unknown, secret: string, context: string, options: ResolvedOpenAIOptions, where?: PhaseRuntime['where']): OpenAIGeneratorError {
  return new OpenAIGeneratorError(redactSecret(`${context}: ${explainFailure(error, options, where)}`, secret));
}

/** A one-line explanation of a failure, with what to do about it. */
function explainFailure(error: unknown, options: ResolvedOpenAIOptions, where?: PhaseRuntime['where']): string {
  const unreachable = explainUnreachable(error, options, where);
  if (unreachable) return unreachable;
  if (error instanceof RetriesExhaustedError) {
    return `gave up after ${error.attempts} attempts (options.maxRetries is ${options.maxRetries}). Last error: ${explainFailure(error.lastError, options)}`;
  }
  if (error instanceof APIUserAbortError) return 'cancelled.';
  if (error instanceof APIConnectionError) {
    return `could not get a reply from ${options.baseURL} (${connectionDetail(error)}). Check that the server is running and options.baseURL is right, or raise options.timeoutMs.`;
  }
  if (error instanceof APIError && typeof error.status === 'number') return `${error.message}. ${statusHint(error.status, options)}`;
  return error instanceof Error ? error.message : String(error);
}

/** The line for a server that is not there (refused, or its host name does not resolve), naming the URL, the code and the fix. */
function explainUnreachable(error: unknown, options: ResolvedOpenAIOptions, where?: PhaseRuntime['where']): string | undefined {
  const attempts = error instanceof RetriesExhaustedError ? error.attempts : 1;
  const code = unreachableCode(error instanceof RetriesExhaustedError ? error.lastError : error);
  if (!code) return undefined;
  const tried = `${code}, ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const setting = where ? `options.baseURL at ${where.jsonPath}.baseURL in ${where.planFile}` : "options.baseURL in the plan's generator options";
  if (code === 'ECONNREFUSED') {
    return `nothing is listening at ${options.baseURL} (${tried}: connection refused). Start the server, or set ${setting} to the server's URL.`;
  }
  return (
    `the host name of ${options.baseURL} does not resolve (${tried}${code === 'EAI_AGAIN' ? ': the name lookup failed' : ''}). ` +
    `Check the host in ${setting}, and the network's DNS.`
  );
}

/** A short reason for progress titles, e.g. "429", "timeout", "invalid reply". */
export function shortReason(error: unknown): string {
  if (error instanceof APIConnectionError) return connectionDetail(error);
  if (error instanceof APIError && typeof error.status === 'number') return `HTTP ${error.status}`;
  if (error instanceof Error && error.name === 'InvalidModelReplyError') return 'invalid reply';
  return error instanceof Error ? error.name : 'error';
}

function connectionDetail(error: APIConnectionError): string {
  if (error.name === 'APIConnectionTimeoutError') return 'timeout';
  const cause = error.cause as (Error & { cause?: { code?: string } ; code?: string }) | undefined;
  return cause?.cause?.code ?? cause?.code ?? cause?.message ?? error.message;
}

function statusHint(status: number, options: ResolvedOpenAIOptions): string {
  switch (status) {
    case 401:
      return `The server rejected the API key in ${options.apiKeyEnv}; check that it is valid for ${options.baseURL}.`;
    case 403:
      return `The key in ${options.apiKeyEnv} may not use model "${options.model}"; check the account's access.`;
    case 404:
      return `Check options.baseURL (OpenAI-compatible servers usually end in /v1) and options.model ("${options.model}").`;
    case 400:
      return 'Check options.model, options.temperature and options.maxOutputTokens for this server.';
    default:
      return 'The server kept failing; try again later.';
  }
}
