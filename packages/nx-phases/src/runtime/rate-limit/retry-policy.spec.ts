import {
  backoffDelayMs,
  isRetryableStatus,
  RetriesExhaustedError,
  RetryAfterTooLongError,
  retryDelayMs,
  retryLimit,
  withRetries,
} from './retry-policy';

const policy = { maxRetries: 3, maxRetryAfterMs: 600_000 };

describe('isRetryableStatus', () => {
  it('retries 408, 409, 429 and 5xx only', () => {
    expect([408, 409, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  it('uses full jitter under an exponentially growing, capped ceiling', () => {
    const top = { ...policy, random: () => 0.999999 };
    expect(backoffDelayMs(0, top)).toBe(999);
    expect(backoffDelayMs(3, top)).toBe(7999);
    expect(backoffDelayMs(20, top)).toBe(59_999);
    expect(backoffDelayMs(5, { ...policy, random: () => 0 })).toBe(0);
  });
});

describe('retryDelayMs', () => {
  it("honours the server's Retry-After of any length up to maxRetryAfterMs", () => {
    expect(retryDelayMs({ retryable: true, retryAfterMs: 2000 }, 0, policy)).toBe(2000);
    expect(retryDelayMs({ retryable: true, retryAfterMs: 300_000 }, 0, policy)).toBe(300_000);
    expect(() => retryDelayMs({ retryable: true, retryAfterMs: 700_000 }, 0, policy)).toThrow(RetryAfterTooLongError);
    expect(() => retryDelayMs({ retryable: true, retryAfterMs: 700_000 }, 0, policy)).toThrow(
      /retry after 700 s, longer than maxRetryAfterMs \(600 s\).*raise options\.maxRetryAfterMs/,
    );
  });
});

describe('withRetries', () => {
  const waits: number[] = [];
  const options = (overrides = {}) => ({
    ...policy,
    random: () => 0.5,
    classify: (error: unknown) => ({ retryable: (error as Error).message !== 'fatal' }),
    wait: async (ms: number) => void waits.push(ms),
    ...overrides,
  });
  beforeEach(() => (waits.length = 0));

  it('retries retryable failures with backoff until success', async () => {
    let calls = 0;
    const result = await withRetries(async () => {
      if (++calls < 3) throw new Error('flaky');
      return 'ok';
    }, options());
    expect(result).toBe('ok');
    expect(waits).toEqual([500, 1000]);
  });

  it('stops at once on a non-retryable failure', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new Error('fatal');
      }, options()),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });

  it('gives up after maxRetries with the last error in the message', async () => {
    let calls = 0;
    const failing = withRetries(async () => {
      throw new Error(`bad reply ${++calls}`);
    }, options());
    await expect(failing).rejects.toThrow(RetriesExhaustedError);
    await expect(failing).rejects.toThrow('Gave up after 4 attempts. Last error: bad reply 4');
    expect(calls).toBe(4);
  });
});

describe('withRetries with a failure of its own retry limit', () => {
  it('gives up after the failure\'s lower limit (a refused connection: one retry), not the policy\'s', async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = withRetries(
      async () => {
        throw new Error(`refused ${++calls}`);
      },
      { ...policy, maxRetries: 6, random: () => 0.5, classify: () => ({ retryable: true, maxRetries: 1 }), wait: async (ms) => void waits.push(ms) },
    );
    await expect(failing).rejects.toThrow('Gave up after 2 attempts. Last error: refused 2');
    expect(calls).toBe(2);
    expect(waits).toEqual([500]);
  });

  it('keeps the policy\'s limit when it is the lower one', () => {
    expect(retryLimit({ retryable: true, maxRetries: 1 }, { ...policy, maxRetries: 0 })).toBe(0);
    expect(retryLimit({ retryable: true }, policy)).toBe(3);
  });
});
