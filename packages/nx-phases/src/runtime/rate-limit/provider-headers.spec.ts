import { isUnknownFeedback, parseDurationMs, parseProviderFeedback, parseRfc3339 } from './provider-headers';

const headers = (values: Record<string, string>) => new Headers(values);
const now = Date.parse('2026-12-07T06:00:00.000Z');

describe('provider rate-limit headers', () => {
  it.each([
    ['6m0s', 360_000],
    ['1s', 1_000],
    ['12ms', 12],
    ['0.5s', 500],
    ['1h2m3.5s', 3_723_500],
    ['2m', 120_000],
    ['1s500ms', 1_500],
  ])('reads the OpenAI duration %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', 's', '-1s', '1 s', '5', 'soon', '1d', '1.2.3s'])('rejects the duration %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('reads RFC 3339 times and rejects other date formats', () => {
    expect(parseRfc3339('2026-12-07T06:00:02Z')).toBe(now + 2_000);
    expect(parseRfc3339('2026-12-07T07:00:02.250+01:00')).toBe(now + 2_250);
    expect(parseRfc3339('Mon, 07 Dec 2026 06:00:02 GMT')).toBeUndefined();
    expect(parseRfc3339('2026-12-07')).toBeUndefined();
  });

  it('puts OpenAI headers into one shape', () => {
    const feedback = parseProviderFeedback(
      headers({
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '2s',
        'x-ratelimit-limit-tokens': '30000',
        'x-ratelimit-remaining-tokens': '29000',
        'x-ratelimit-reset-tokens': '12ms',
      }),
      now,
    );
    expect(feedback).toEqual({
      requests: { limit: 500, remaining: 0, resetAt: now + 2_000 },
      tokens: { limit: 30_000, remaining: 29_000, resetAt: now + 12 },
    });
  });

  it('puts Anthropic headers into the same shape, input tokens standing in for tokens', () => {
    const feedback = parseProviderFeedback(
      headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '3',
        'anthropic-ratelimit-requests-reset': '2026-12-07T06:00:05Z',
        'anthropic-ratelimit-input-tokens-limit': '40000',
        'anthropic-ratelimit-input-tokens-remaining': '100',
        'anthropic-ratelimit-input-tokens-reset': '2026-12-07T06:00:01Z',
      }),
      now,
    );
    expect(feedback).toEqual({
      requests: { limit: 50, remaining: 3, resetAt: now + 5_000 },
      tokens: { limit: 40_000, remaining: 100, resetAt: now + 1_000 },
    });
  });

  it('leaves missing and malformed values unknown, never zero; a reset more than 15 minutes away is ignored', () => {
    expect(parseProviderFeedback(headers({}), now)).toEqual({ requests: {}, tokens: {} });
    expect(parseProviderFeedback(undefined, now)).toEqual({ requests: {}, tokens: {} });
    const odd = parseProviderFeedback(
      headers({ 'x-ratelimit-remaining-requests': 'none', 'x-ratelimit-reset-requests': '3h', 'x-ratelimit-remaining-tokens': '-5' }),
      now,
    );
    expect(odd).toEqual({ requests: {}, tokens: {} });
  });
});

describe('isUnknownFeedback', () => {
  it('is true without a remaining count and reset time for either window', () => {
    expect(isUnknownFeedback({ requests: {}, tokens: {} })).toBe(true);
    expect(isUnknownFeedback({ requests: { limit: 5, remaining: 3 }, tokens: { resetAt: 1 } })).toBe(true);
    expect(isUnknownFeedback({ requests: {}, tokens: { remaining: 0, resetAt: 1 } })).toBe(false);
  });
});
