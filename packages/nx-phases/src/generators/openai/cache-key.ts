import { withOpenAIDefaults } from './options';
import { PROMPT_TEMPLATE_VERSION } from './prompt';
import type { OpenAIGeneratorOptions } from './schema';

/** The option values that change what the model is asked, with defaults applied. Never the API key. */
export interface OpenAICacheKeyFields {
  model: string;
  baseURL: string;
  temperature: number;
  maxContextTokens: number;
  maxOutputTokens: number;
  systemPrompt: string | null;
  promptTemplateVersion: string;
}

/**
 * The `nx-phases:openai` settings that belong in a phase's cache key: model, baseURL, temperature,
 * maxContextTokens (it decides how the prompt is compressed), maxOutputTokens, the system prompt
 * override and the prompt template version. Retry, timeout and key settings are left out: they
 * do not change what is asked. The API key (and its variable name) is never included.
 */
export function openaiCacheKeyFields(options: OpenAIGeneratorOptions): OpenAICacheKeyFields {
  const resolved = withOpenAIDefaults(options);
  return {
    model: resolved.model,
    baseURL: resolved.baseURL,
    temperature: resolved.temperature,
    maxContextTokens: resolved.maxContextTokens,
    maxOutputTokens: resolved.maxOutputTokens,
    systemPrompt: resolved.systemPrompt ?? null,
    promptTemplateVersion: PROMPT_TEMPLATE_VERSION,
  };
}
