export { countChatTokens, countTokens, encodingFor, FALLBACK_CHARS_PER_TOKEN, FALLBACK_FRAMING_TOKENS_PER_MESSAGE, maxChatTokens, maxTextTokens, type OpenAIEncoding, type TokenCount } from './tokens';
export { PRICE_TABLE, PRICE_TABLE_DATE, priceFor, type ModelPrice } from './prices';
export { addCallCost, costOfUsage, formatUsd, roundUsd, roundUsdAmounts, sumRunCost, unknownCostReason, USD_JSON_DECIMALS, worstCaseCost, type CallCost, type PhaseCost, type RunCost, type TokenUsage } from './cost';
export { parsePriceOverrides, PriceOverridesError } from './price-overrides';
export { estimatePhase, summarizeEstimate, type PhaseEstimate, type PhaseEstimateInput, type PlanEstimate } from './estimate';
