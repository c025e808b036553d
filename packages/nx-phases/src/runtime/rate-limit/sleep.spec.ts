import { getEventListeners } from 'node:events';
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

describe('sleep: timing and listeners', () => {
  it('waits its time: a shorter timer started at the same moment fires first', async () => {
    const order: string[] = [];
    await Promise.all([sleep(200).then(() => order.push('sleep 200 ms')), new Promise((resolve) => setTimeout(resolve, 100)).then(() => order.push('timer 100 ms'))]);
    expect(order).toEqual(['timer 100 ms', 'sleep 200 ms']);
  });

  it('leaves no listener on a signal it was given, whether the wait ended or was aborted (countdowns sleep hundreds of times on one)', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const waiting = sleep(60_000, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
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
