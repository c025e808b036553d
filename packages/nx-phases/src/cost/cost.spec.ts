import { addCallCost, sumRunCost, costOfUsage, countChatTokens, countTokens, encodingFor, formatUsd, roundUsdAmounts, maxChatTokens, maxTextTokens, parsePriceOverrides, PRICE_TABLE_DATE, priceFor, worstCaseCost } from './index';

// Expected counts were produced independently with js-tiktoken 1.0.21 (getEncoding(...).encode(text).length).
const UNICODE = 'Ünïcödé 日本語 🚀';
const CODE = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

describe('countTokens', () => {
  it('counts OpenAI-family models exactly with their own encoding', () => {
    expect(countTokens(UNICODE, 'gpt-4o')).toEqual({ tokens: 9, exact: true });
    expect(countTokens(UNICODE, 'gpt-4-turbo')).toEqual({ tokens: 14, exact: true });
    expect(countTokens(CODE, 'gpt-4.1-mini')).toEqual({ tokens: 20, exact: true });
    expect(countTokens('tiktoken is great!', 'openai/gpt-5')).toEqual({ tokens: 6, exact: true });
    expect(countTokens('', 'gpt-4o')).toEqual({ tokens: 0, exact: true });
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(countTokens('a <|endoftext|> b', 'gpt-4o')).toEqual({ tokens: 9, exact: true });
  });

  it('falls back to characters / 3 (characters / 4 plus 33 %) for other models', () => {
    expect(countTokens('x'.repeat(10), 'claude-sonnet-4')).toEqual({ tokens: 4, exact: false });
    expect(countTokens('x'.repeat(9), 'llama3.1:8b')).toEqual({ tokens: 3, exact: false });
  });

  it('maps model names to encodings, newest families first', () => {
    expect(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-nano', 'gpt-5-mini', 'o1', 'o3-mini', 'o4-mini', 'OpenAI/GPT-4o'].map(encodingFor)).toEqual(
      Array(8).fill('o200k_base'),
    );
    expect(['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'text-embedding-3-small'].map(encodingFor)).toEqual(Array(4).fill('cl100k_base'));
    expect(['claude-sonnet-4', 'llama3', 'gpt4all', 'o10x', 'mistral/gpt-4o'].map(encodingFor)).toEqual(Array(5).fill(undefined));
  });

  it('counts chat messages with the same framing as gpt-tokenizer encodeChat', () => {
    const messages = [
      { role: 'system', content: 'You write code.' },
      { role: 'user', content: CODE },
    ];
    const { encodeChat } = require('gpt-tokenizer/cjs/encoding/o200k_base') as { encodeChat(m: unknown, model: string): number[] };
    expect(countChatTokens(messages, 'gpt-4o')).toEqual({ tokens: encodeChat(messages, 'gpt-4o').length, exact: true });
    expect(countChatTokens(messages, 'local-model').exact).toBe(false);
  });

  it('bounds a chat from above for the budget: the exact count for OpenAI-family models, UTF-8 bytes plus framing for others', () => {
    const messages = [
      { role: 'system', content: 'You write code.' },
      { role: 'user', content: UNICODE },
    ];
    expect(maxChatTokens(messages, 'gpt-4o')).toBe(countChatTokens(messages, 'gpt-4o').tokens);
    // 15 + 6 (system) and 26 + 4 (user) bytes, 10 per message and 10 for the reply.
    expect(maxChatTokens(messages, 'local-model')).toBe(15 + 6 + 26 + 4 + 30);
    // Above the characters / 3 estimate and above any byte-level tokenizer's count (here o200k_base's).
    expect(maxTextTokens('数据库'.repeat(100), 'local-model')).toBe(900);
    expect(maxTextTokens('数据库'.repeat(100), 'local-model')).toBeGreaterThan(countTokens('数据库'.repeat(100), 'gpt-4o').tokens);
    expect(maxTextTokens(CODE, 'gpt-4.1-mini')).toBe(20);
  });
});

describe('priceFor', () => {
  it('has a dated table with common models', () => {
    expect(PRICE_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(priceFor('gpt-4.1-mini')).toEqual({ inputPerToken: 0.4e-6, cachedInputPerToken: 0.1e-6, outputPerToken: 1.6e-6 });
  });

  it('matches provider prefixes and dated snapshots, and knows nothing else', () => {
    expect(priceFor('gpt-4o-2024-08-06')).toBe(priceFor('gpt-4o'));
    expect(priceFor('openai/gpt-4o-mini')).toBe(priceFor('gpt-4o-mini'));
    expect(priceFor('claude-sonnet-4-20250514')).toBe(priceFor('claude-sonnet-4'));
    expect(priceFor('gpt-4o-mini')).not.toEqual(priceFor('gpt-4o'));
    expect(priceFor('my-local-model')).toBeUndefined();
    expect(priceFor('__proto__')).toBeUndefined();
    expect(priceFor('constructor')).toBeUndefined();
  });

  it('prefers an override with the exact name, then an override of the bare name', () => {
    const mine = { inputPerToken: 1, cachedInputPerToken: 0.5, outputPerToken: 2 };
    expect(priceFor('gpt-4o', { 'gpt-4o': mine })).toBe(mine);
    expect(priceFor('openai/gpt-4o', { 'gpt-4o': mine })).toBe(mine);
    expect(priceFor('my-local-model', { 'my-local-model': mine })).toBe(mine);
    expect(priceFor('gpt-4o', { other: mine })).toBe(priceFor('gpt-4o'));
  });
});

describe('costOfUsage and worstCaseCost', () => {
  const price = { inputPerToken: 2, cachedInputPerToken: 0.5, outputPerToken: 8 };

  it('charges cached prompt tokens at the cached price', () => {
    expect(costOfUsage({ promptTokens: 100, completionTokens: 10 }, price)).toBe(280);
    expect(costOfUsage({ promptTokens: 100, cachedPromptTokens: 40, completionTokens: 10 }, price)).toBe(60 * 2 + 40 * 0.5 + 80);
    expect(costOfUsage({ promptTokens: 100, cachedPromptTokens: 500, completionTokens: 0 }, price)).toBe(50);
    expect(costOfUsage({ promptTokens: 100, cachedPromptTokens: -5, completionTokens: 0 }, price)).toBe(200);
  });

  it('worst case uses the full output allowance and no prompt cache', () => {
    expect(worstCaseCost(100, 1000, price)).toBe(200 + 8000);
  });

  it('formats dollars', () => {
    expect(formatUsd(0.012345)).toBe('$0.0123');
    expect(formatUsd(12.5)).toBe('$12.50');
  });

  it('counts calls sent without an answer, and sums a run naming why each unknown cost is unknown', () => {
    const answered = addCallCost(undefined, { usd: 0.5, model: 'gpt-4o' }, '2025-08-07');
    const phase = addCallCost(answered, { usd: null, model: 'gpt-4o', unanswered: true }, '2025-08-07');
    expect(phase).toEqual({ usd: null, models: ['gpt-4o'], priceTableDate: '2025-08-07', unanswered: 1 });
    expect(answered).toEqual({ usd: 0.5, models: ['gpt-4o'], priceTableDate: '2025-08-07' });
    const unpriced = addCallCost(undefined, { usd: null, model: 'local' }, '2025-08-07');
    const calls = { calls: 1 };
    expect(sumRunCost([{ number: 1, usage: calls, cost: answered }, { number: 2, usage: calls, cost: phase }, { number: 3, usage: calls, cost: unpriced }], '2025-08-07')).toEqual({
      usd: 0.5, unpricedPhases: [3], unansweredPhases: [2], priceTableDate: '2025-08-07',
    });
  });

  it('rounds USD amounts in JSON to 6 decimals and leaves token counts and other numbers alone', () => {
    const report = { usd: 0.0001 + 0.0002, expectedUsd: 0.0008975999999999999, worstCaseUsd: null, promptTokens: 1234, durationMs: 0.1 + 0.2 };
    expect(JSON.stringify(report, roundUsdAmounts)).toBe(
      '{"usd":0.0003,"expectedUsd":0.000898,"worstCaseUsd":null,"promptTokens":1234,"durationMs":0.30000000000000004}',
    );
  });
});

describe('parsePriceOverrides', () => {
  const source = { file: 'apps/shop/phases.json', jsonPath: '$.generator.options.prices' };

  it('fills cachedInputPerToken from inputPerToken', () => {
    expect(parsePriceOverrides({ 'my-model': { inputPerToken: 1e-6, outputPerToken: 2e-6 } }, source)).toEqual({
      'my-model': { inputPerToken: 1e-6, cachedInputPerToken: 1e-6, outputPerToken: 2e-6 },
    });
    expect(parsePriceOverrides(undefined, source)).toBeUndefined();
  });

  it('names the file, the JSON path, a did-you-mean and the fix for each problem', () => {
    const parse = () =>
      parsePriceOverrides({ 'gpt-4o': { inputPerToken: -1, outputPerTokens: 1 }, x: 3 }, source);
    expect(parse).toThrow(/Invalid price overrides in apps\/shop\/phases\.json/);
    expect(parse).toThrow('$.generator.options.prices["gpt-4o"].outputPerTokens is not a price field (did you mean "outputPerToken"?)');
    expect(parse).toThrow('$.generator.options.prices["gpt-4o"].inputPerToken must be a number of USD per token, 0 or more (got -1)');
    expect(parse).toThrow('$.generator.options.prices["gpt-4o"].outputPerToken is missing');
    expect(parse).toThrow('$.generator.options.prices["x"] must be an object');
    expect(parse).toThrow(/Fix: write \$\.generator\.options\.prices as/);
    expect(() => parsePriceOverrides([], source)).toThrow('$.generator.options.prices must be an object keyed by model name');
  });
});
