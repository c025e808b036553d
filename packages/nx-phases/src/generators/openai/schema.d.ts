/** Options of the `nx-phases:openai` phase generator (see schema.json for defaults). */
export interface OpenAIGeneratorOptions {
  model?: string;
  baseURL?: string;
  /** Name of the environment variable holding the API key. */
  apiKeyEnv?: string;
  temperature?: number;
  maxContextTokens?: number;
  maxOutputTokens?: number;
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryAfterMs?: number;
  systemPrompt?: string;
  /** USD per token by model name; overrides nx.json's `prices` and the pinned table (cachedInputPerToken defaults to inputPerToken). */
  prices?: Record<string, { inputPerToken: number; cachedInputPerToken?: number; outputPerToken: number }>;
}
