import { parseRetryAfterMs } from './retry-after';

const headers = (values: Record<string, string>) => new Headers(values);

describe('parseRetryAfterMs', () => {
  it('reads Retry-After in seconds, including long and fractional values', () => {
    expect(parseRetryAfterMs(headers({ 'Retry-After': '2' }))).toBe(2000);
    expect(parseRetryAfterMs(headers({ 'retry-after': '90' }))).toBe(90_000);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(parseRetryAfterMs(headers({ 'retry-after': '1.25' }))).toBe(1250);
  });

  it('prefers retry-after-ms over Retry-After', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:02:00 GMT' }), now)).toBe(120_000);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), now)).toBe(0);
  });

  it('ignores absent and invalid values', () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs(headers({}))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '-5', 'retry-after': '3' }))).toBe(3000);
  });

  it('takes a zero wait as a wait of zero, not as no header', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '0', 'retry-after': '3' }))).toBe(0);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0' }))).toBe(0);
    expect(parseRetryAfterMs(headers({ 'retry-after': '0.0' }))).toBe(0);
  });

  it('reads only a whole number with an optional fraction: text before or after it, or a bare fraction, is no wait', () => {
    for (const bad of ['x5', '5x', '1.', '.5', '1.5.2', '1e3'])
      expect({ bad, ms: parseRetryAfterMs(headers({ 'retry-after-ms': bad, 'retry-after': '4' })) }).toEqual({ bad, ms: 4000 });
    expect(parseRetryAfterMs({ get: (name) => (name === 'retry-after-ms' ? ' 250 ' : null) })).toBe(250);
  });
});
