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

describe('provider rate-limit headers: which value counts', () => {
  const full = { 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' };
  const anthropicFull = {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '3',
    'anthropic-ratelimit-requests-reset': '2026-12-07T06:00:05Z',
  };

  it('takes a complete window (remaining and reset) over a partial one, and OpenAI\'s when both are complete or both partial', () => {
    const openaiPartial = { 'x-ratelimit-limit-requests': '500' };
    expect(parseProviderFeedback(headers({ ...openaiPartial, ...anthropicFull }), now).requests).toEqual({ limit: 50, remaining: 3, resetAt: now + 5_000 });
    expect(parseProviderFeedback(headers({ ...full, 'anthropic-ratelimit-requests-limit': '50' }), now).requests).toEqual({
      limit: 500,
      remaining: 0,
      resetAt: now + 2_000,
    });
    expect(parseProviderFeedback(headers({ ...full, ...anthropicFull }), now).requests).toEqual({ limit: 500, remaining: 0, resetAt: now + 2_000 });
    expect(
      parseProviderFeedback(headers({ ...openaiPartial, 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '3' }), now)
        .requests,
    ).toEqual({ limit: 500, remaining: 3 });
    const openaiWithoutLimit = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' };
    expect(parseProviderFeedback(headers({ ...openaiWithoutLimit, 'anthropic-ratelimit-requests-limit': '50' }), now).requests).toEqual({
      limit: 50,
      remaining: 0,
      resetAt: now + 2_000,
    });
  });

  it("reads Anthropic's tokens window before its input-tokens window when both are sent", () => {
    const feedback = parseProviderFeedback(
      headers({
        'anthropic-ratelimit-tokens-limit': '80000',
        'anthropic-ratelimit-tokens-remaining': '700',
        'anthropic-ratelimit-tokens-reset': '2026-12-07T06:00:03Z',
        'anthropic-ratelimit-input-tokens-limit': '40000',
        'anthropic-ratelimit-input-tokens-remaining': '100',
        'anthropic-ratelimit-input-tokens-reset': '2026-12-07T06:00:01Z',
      }),
      now,
    );
    expect(feedback.tokens).toEqual({ limit: 80_000, remaining: 700, resetAt: now + 3_000 });
  });

  it('keeps a reset exactly 15 minutes away, ignores one a millisecond further, and reads a reset already past as now', () => {
    const reset = (value: string) => parseProviderFeedback(headers({ 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': value }), now).requests;
    expect(reset('15m')).toEqual({ remaining: 1, resetAt: now + 15 * 60_000 });
    expect(reset('15m1ms')).toEqual({ remaining: 1 });
    const past = parseProviderFeedback(
      headers({ 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2026-12-07T05:59:58Z' }),
      now,
    );
    expect(past.requests).toEqual({ remaining: 0, resetAt: now });
  });

  it('reads counts of 1 to 15 digits with spaces around them, and nothing else', () => {
    const reader = (value: string) => ({ get: (name: string) => (name === 'x-ratelimit-remaining-requests' ? value : null) });
    const remaining = (value: string) => parseProviderFeedback(reader(value), now).requests.remaining;
    expect(remaining('7')).toBe(7);
    expect(remaining(' 42 ')).toBe(42);
    expect(remaining('999999999999999')).toBe(999_999_999_999_999);
    for (const bad of ['1234567890123456', '5x', 'x5', '4 2', '1.5', '', ' ']) expect([bad, remaining(bad)]).toEqual([bad, undefined]);
  });

  it.each([
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['1.5m', 90_000],
    ['10s', 10_000],
    ['100ms', 100],
    ['2.5ms', 2.5],
    ['1m30s', 90_000],
    [' 2s ', 2_000],
    ['12h', 43_200_000],
    ['1.25h', 4_500_000],
    ['1.25m', 75_000],
    ['1.25s', 1_250],
    ['2.25ms', 2.25],
    ['1h2m3s4ms', 3_723_004],
  ])('reads the OpenAI duration %j as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['x1s', '1sx', '1s1m', '.5s', '1.s', '1ms1s', 'ms', 'h'])('rejects the duration %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('rejects a duration too large to be a number (400 digits of hours)', () => {
    expect(parseDurationMs(`${'9'.repeat(400)}h`)).toBeUndefined();
  });

  it('reads RFC 3339 times with a lower-case t and z, a space, a negative offset or spaces around, and no impossible date or text around (which Date.parse would accept)', () => {
    expect(parseRfc3339('2026-12-07t06:00:02z')).toBe(now + 2_000);
    expect(parseRfc3339('2026-12-07 06:00:02Z')).toBe(now + 2_000);
    expect(parseRfc3339('2026-12-07T05:00:02-01:00')).toBe(now + 2_000);
    expect(parseRfc3339(' 2026-12-07T06:00:02.5Z ')).toBe(now + 2_500);
    expect(parseRfc3339('2026-13-45T06:00:02Z')).toBeUndefined();
    for (const bad of ['Mon 2026-12-07 06:00:02Z', '2026-12-07 06:00:02Z (CET)', 'x2026-12-07T06:00:02Z', '2026-12-07T06:00:02Zx', '2026-12-07T06:00:02', '2026-12-07T06:00Z', '26-12-07T06:00:02Z', '2026-12-07T06:00:02+0100']) {
      expect([bad, parseRfc3339(bad)]).toEqual([bad, undefined]);
    }
  });
});

describe('isUnknownFeedback', () => {
  it('is true without a remaining count and reset time for either window', () => {
    expect(isUnknownFeedback({ requests: {}, tokens: {} })).toBe(true);
    expect(isUnknownFeedback({ requests: { limit: 5, remaining: 3 }, tokens: { resetAt: 1 } })).toBe(true);
    expect(isUnknownFeedback({ requests: {}, tokens: { remaining: 0, resetAt: 1 } })).toBe(false);
  });
});
