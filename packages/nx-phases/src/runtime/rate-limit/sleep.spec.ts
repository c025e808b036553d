import { countdown, formatSeconds, sleep, WaitAbortedError } from './sleep';

describe('sleep', () => {
  it('resolves after the wait', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  it('rejects at once when the signal has already aborted, naming the reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('phase cancelled'));
    const error = await sleep(60_000, controller.signal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitAbortedError);
    expect([(error as Error).name, (error as Error).message]).toEqual(['WaitAbortedError', 'Cancelled while waiting: phase cancelled.']);
  });

  it('rejects when the signal aborts during the wait, without a reason that is not an error', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort('not an error');
    await expect(waiting).rejects.toThrow(/^Cancelled while waiting\.$/);
  });
});

describe('countdown', () => {
  it('ticks first with the whole wait, then with less at most a tick later, until cancelled', async () => {
    const controller = new AbortController();
    const ticks: number[] = [];
    const done = countdown(
      60_000,
      (remaining) => {
        ticks.push(remaining);
        if (ticks.length === 3) controller.abort(new Error('enough'));
      },
      controller.signal,
      10,
    );
    await expect(done).rejects.toThrow('Cancelled while waiting: enough.');
    expect(ticks[0]).toBe(60_000);
    expect(ticks).toHaveLength(3);
    expect(ticks[1]).toBeLessThan(ticks[0]);
    expect(ticks[2]).toBeLessThan(ticks[1]);
  });

  it('does not tick for a wait of 0', async () => {
    const ticks: number[] = [];
    await countdown(0, (remaining) => ticks.push(remaining));
    expect(ticks).toEqual([]);
  });
});

describe('formatSeconds', () => {
  it('shows seconds with one decimal, never below zero', () => {
    expect([3_200, 0, -5, 61_040, 999].map(formatSeconds)).toEqual(['3.2 s', '0.0 s', '0.0 s', '61.0 s', '1.0 s']);
  });
});
