import {
  backoffDelayMs,
  isRetryableStatus,
  RetriesExhaustedError,
  RetryAfterTooLongError,
  retryDelayMs,
  SharedPauseTooLongError,
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

describe('retry policy: boundaries and what the user reads', () => {
  it('honours a Retry-After of exactly maxRetryAfterMs', () => {
    expect(retryDelayMs({ retryable: true, retryAfterMs: 600_000 }, 0, policy)).toBe(600_000);
  });

  it('uses the configured backoff base and cap', () => {
    const custom = { ...policy, baseDelayMs: 100, maxDelayMs: 500, random: () => 0.999999 };
    expect(backoffDelayMs(0, custom)).toBe(99);
    expect(backoffDelayMs(2, custom)).toBe(399);
    expect(backoffDelayMs(3, custom)).toBe(499);
  });

  it('says whole why a Retry-After is refused, in whole seconds rounded up', () => {
    const error = new RetryAfterTooLongError(700_400, 599_001);
    expect(error.message).toBe(
      'The server asked to retry after 701 s, longer than maxRetryAfterMs (600 s). Try again later, or raise options.maxRetryAfterMs.',
    );
    expect([error.name, error.retryAfterMs, error.maxRetryAfterMs]).toEqual(['RetryAfterTooLongError', 700_400, 599_001]);
  });

  it('says whole why a shared pause is refused, and that nothing was sent', () => {
    const error = new SharedPauseTooLongError(90_001, 60_000);
    expect(error.message).toBe(
      'The server told an earlier request to retry after a wait that has 91 s left (Retry-After), and no process sends to it ' +
        'before then; that is longer than maxRetryAfterMs (60 s). Nothing was sent. Try again later, or raise options.maxRetryAfterMs.',
    );
    expect([error.name, error.pauseMs, error.maxRetryAfterMs]).toEqual(['SharedPauseTooLongError', 90_001, 60_000]);
  });

  it('gives up after one attempt when no retry is allowed, naming a thrown text as the last error', async () => {
    const failing = withRetries(
      async () => {
        throw 'socket hang up';
      },
      { ...policy, maxRetries: 0, classify: () => ({ retryable: true }), wait: async () => undefined },
    );
    const error = await failing.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).message).toBe('Gave up after 1 attempt. Last error: socket hang up Raise options.maxRetries to try more often.');
    expect([(error as RetriesExhaustedError).name, (error as RetriesExhaustedError).attempts, (error as RetriesExhaustedError).lastError]).toEqual([
      'RetriesExhaustedError',
      1,
      'socket hang up',
    ]);
  });

  it("waits the server's Retry-After instead of backoff, telling the wait which retry (1-based) and which error", async () => {
    const waits: [number, number, string][] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        if (++calls < 3) throw new Error(`busy ${calls}`);
        return calls;
      },
      {
        ...policy,
        random: () => 0.5,
        classify: (error) => ({ retryable: true, retryAfterMs: (error as Error).message === 'busy 1' ? 1_234 : undefined }),
        wait: async (ms, retry, error) => void waits.push([ms, retry, (error as Error).message]),
      },
    );
    expect(result).toBe(3);
    expect(waits).toEqual([
      [1_234, 1, 'busy 1'],
      [1_000, 2, 'busy 2'],
    ]);
  });

  it('stops retrying when the server asks for a wait longer than maxRetryAfterMs', async () => {
    let calls = 0;
    const failing = withRetries(
      async () => {
        calls++;
        throw new Error('slow down');
      },
      { ...policy, classify: () => ({ retryable: true, retryAfterMs: 600_001 }), wait: async () => undefined },
    );
    await expect(failing).rejects.toThrow(RetryAfterTooLongError);
    expect(calls).toBe(1);
  });
});
