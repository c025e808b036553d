/** The OpenAI encodings the package ships (gpt-tokenizer's own files; nothing is downloaded). */
export type OpenAIEncoding = 'o200k_base' | 'cl100k_base';

/** A token count and whether it is exact (an OpenAI-family model counted with its own encoding) or the fallback estimate. */
export interface TokenCount {
  tokens: number;
  exact: boolean;
}

/** Characters per token assumed by the fallback: characters / 4 plus a 33 % margin, i.e. ceil(characters / 3). */
export const FALLBACK_CHARS_PER_TOKEN = 3;

/** Model name patterns (after an optional `provider/` prefix) and the encoding their tokenizer uses. */
const ENCODING_RULES: ReadonlyArray<readonly [RegExp, OpenAIEncoding]> = [
  [/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4)(\b|-|$)/, 'o200k_base'],
  [/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)(\b|-|$)/, 'cl100k_base'],
];

type Counter = (text: string) => number;
type CountingModule = { countTokens(text: string, options: { disallowedSpecial: Set<string> }): number };
const counters = new Map<OpenAIEncoding, Counter>();

/** The OpenAI encoding of a model, or undefined when it is not an OpenAI-family model (then counts use the fallback). */
export function encodingFor(model: string): OpenAIEncoding | undefined {
  const name = model.trim().toLowerCase().replace(/^openai\//, '');
  return ENCODING_RULES.find(([pattern]) => pattern.test(name))?.[1];
}

/**
 * Tokens of `text` for `model`: exact with the model's own encoding for OpenAI-family models (gpt-4o, gpt-4.1, gpt-5,
 * o-series: o200k_base; gpt-4, gpt-3.5: cl100k_base), else ceil(characters / 3) (characters / 4 plus a 33 % margin,
 * so a budget errs high), marked `exact: false`. The encodings load on first use (about 0.15 s for o200k_base).
 */
export function countTokens(text: string, model: string): TokenCount {
  const encoding = encodingFor(model);
  if (!encoding) return { tokens: Math.ceil(text.length / FALLBACK_CHARS_PER_TOKEN), exact: false };
  return { tokens: text === '' ? 0 : counterFor(encoding)(text), exact: true };
}

/** Tokens a chat request's messages take for `model`: their contents plus OpenAI's framing (3 per message, 3 for the reply). */
export function countChatTokens(messages: ReadonlyArray<{ role: string; content: string }>, model: string): TokenCount {
  let tokens = 3;
  let exact = true;
  for (const message of messages) {
    const count = countTokens(message.content, model);
    tokens += 3 + count.tokens + countTokens(message.role, model).tokens;
    exact &&= count.exact;
  }
  return { tokens, exact };
}

/** Tokens a chat template may add per message (role markers, separators) for a model without a tokenizer here; generous. */
export const FALLBACK_FRAMING_TOKENS_PER_MESSAGE = 10;

/**
 * The most tokens a chat request's messages can take for `model`, for a worst case that must hold (the budget): the
 * exact count for OpenAI-family models; for others the UTF-8 bytes of every content and role (a byte-level BPE or a
 * SentencePiece tokenizer with byte fallback never makes more tokens than bytes) plus
 * `FALLBACK_FRAMING_TOKENS_PER_MESSAGE` per message and once for the reply. Characters / 3 is an estimate, not a
 * bound: text in Chinese or Japanese takes about one token per character.
 */
export function maxChatTokens(messages: ReadonlyArray<{ role: string; content: string }>, model: string): number {
  if (encodingFor(model)) return countChatTokens(messages, model).tokens;
  return messages.reduce(
    (sum, message) => sum + FALLBACK_FRAMING_TOKENS_PER_MESSAGE + Buffer.byteLength(message.content, 'utf8') + Buffer.byteLength(message.role, 'utf8'),
    FALLBACK_FRAMING_TOKENS_PER_MESSAGE,
  );
}

/** The most tokens `text` can take for `model` (exact for OpenAI-family models, else its UTF-8 bytes; see `maxChatTokens`). */
export function maxTextTokens(text: string, model: string): number {
  return encodingFor(model) ? countTokens(text, model).tokens : Buffer.byteLength(text, 'utf8');
}

function counterFor(encoding: OpenAIEncoding): Counter {
  let counter = counters.get(encoding);
  if (!counter) {
    // Loaded lazily: the encodings are megabytes of ranks that most processes (createNodes, scaffold phases) never need.
    const module = (encoding === 'o200k_base'
      ? require('gpt-tokenizer/cjs/encoding/o200k_base')
      : require('gpt-tokenizer/cjs/encoding/cl100k_base')) as CountingModule;
    // Special-token text such as <|endoftext|> in a file is counted as plain text, as the API treats message content.
    const plainText = { disallowedSpecial: new Set<string>() };
    counter = (text) => module.countTokens(text, plainText);
    counters.set(encoding, counter);
  }
  return counter;
}
