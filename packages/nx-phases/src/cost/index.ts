export { countChatTokens, countTokens, encodingFor, FALLBACK_CHARS_PER_TOKEN, type OpenAIEncoding, type TokenCount } from './tokens';
export { PRICE_TABLE, PRICE_TABLE_DATE, priceFor, type ModelPrice } from './prices';
export { costOfUsage, formatUsd, worstCaseCost, type TokenUsage } from './cost';
export { parsePriceOverrides, PriceOverridesError } from './price-overrides';
