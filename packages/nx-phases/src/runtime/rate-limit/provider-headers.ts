import type { HeaderReader } from './retry-after';

/** What a provider said about one limit (requests or tokens); a field it did not send is undefined, never 0. */
export interface ProviderWindow {
  limit?: number;
  remaining?: number;
  /** When the limit is back to full (ms since the epoch, on this machine's clock). */
  resetAt?: number;
}

/** A response's rate-limit headers (OpenAI or Anthropic), in one shape. */
export interface ProviderFeedback {
  requests: ProviderWindow;
  tokens: ProviderWindow;
}

/** A reset further away than this is ignored (unknown): a server's 429 and Retry-After then decide. */
export const MAX_PROVIDER_RESET_MS = 15 * 60_000;

/**
 * Reads OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (the reset a duration such as `6m0s`, `1s`
 * or `12ms`) and Anthropic's `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` (the reset an RFC 3339
 * time; `input-tokens` stands in when `tokens` is absent). Missing or malformed values are undefined.
 */
export function parseProviderFeedback(headers: HeaderReader | undefined, now = Date.now()): ProviderFeedback {
  const openai = (kind: string) => openaiWindow(headers, kind, now);
  const anthropic = (kind: string) => anthropicWindow(headers, kind, now);
  return {
    requests: merge(openai('requests'), anthropic('requests')),
    tokens: merge(openai('tokens'), merge(anthropic('tokens'), anthropic('input-tokens'))),
  };
}

/** True when the feedback says nothing usable (no remaining count with a reset time). */
export function isUnknownFeedback(feedback: ProviderFeedback): boolean {
  return !isKnown(feedback.requests) && !isKnown(feedback.tokens);
}

/** A window with both a remaining count and a reset time: the only kind that can tighten a limiter. */
export function isKnown(window: ProviderWindow): window is Required<Pick<ProviderWindow, 'remaining' | 'resetAt'>> & ProviderWindow {
  return window.remaining !== undefined && window.resetAt !== undefined;
}

function openaiWindow(headers: HeaderReader | undefined, kind: string, now: number): ProviderWindow {
  const resetMs = parseDurationMs(headers?.get(`x-ratelimit-reset-${kind}`));
  return window(headers?.get(`x-ratelimit-limit-${kind}`), headers?.get(`x-ratelimit-remaining-${kind}`), resetMs === undefined ? undefined : now + resetMs, now);
}

function anthropicWindow(headers: HeaderReader | undefined, kind: string, now: number): ProviderWindow {
  const prefix = `anthropic-ratelimit-${kind}`;
  return window(headers?.get(`${prefix}-limit`), headers?.get(`${prefix}-remaining`), parseRfc3339(headers?.get(`${prefix}-reset`)), now);
}

function window(limit: string | null | undefined, remaining: string | null | undefined, resetAt: number | undefined, now: number): ProviderWindow {
  const result: ProviderWindow = {};
  const parsedLimit = parseCount(limit);
  const parsedRemaining = parseCount(remaining);
  if (parsedLimit !== undefined) result.limit = parsedLimit;
  if (parsedRemaining !== undefined) result.remaining = parsedRemaining;
  if (resetAt !== undefined && resetAt - now <= MAX_PROVIDER_RESET_MS) result.resetAt = Math.max(now, resetAt);
  return result;
}

/** The first window's values, completed by the second's where the first has none. */
function merge(first: ProviderWindow, second: ProviderWindow): ProviderWindow {
  return isKnown(first) || !isKnown(second) ? { ...second, ...first } : { ...first, ...second };
}

function parseCount(value: string | null | undefined): number | undefined {
  if (value == null || !/^\s*\d{1,15}\s*$/.test(value)) return undefined;
  return Number(value);
}

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;

/** `6m0s`, `1s`, `12ms`, `1h2m3.5s`, `0.5s` (Go-style durations, as OpenAI sends them) in ms; undefined otherwise. */
export function parseDurationMs(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const match = DURATION.exec(text);
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  const [hours, minutes, seconds, millis] = match.slice(1).map((part) => Number(part ?? 0));
  const total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
  return Number.isFinite(total) ? total : undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time (`2026-12-07T06:00:02Z`) in ms since the epoch; undefined when it is not one. */
export function parseRfc3339(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  if (!text || !RFC3339.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}
