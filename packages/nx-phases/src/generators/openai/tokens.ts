/**
 * Estimated token count of a text: ceil(characters / 4). That is the usual rule of thumb for
 * English prose and code with OpenAI tokenizers; it needs no tokenizer, so it works for any
 * model and keeps prompt construction deterministic. Budgets (`maxContextTokens`) use it.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
