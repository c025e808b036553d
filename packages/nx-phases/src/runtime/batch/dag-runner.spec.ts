import { runDag, type DagJob, type DagOutcome } from './dag-runner';
import { remainingPathWeights } from './priority';

/** Jobs whose completion the test controls: `finish(id, ok)` settles a started job. */
function controlledRun() {
  const started: string[] = [];
  const running = new Set<string>();
  let peak = 0;
  const settle = new Map<string, (ok: boolean) => void>();
  const run = (job: DagJob) =>
    new Promise<boolean>((resolve) => {
      started.push(job.id);
      running.add(job.id);
      peak = Math.max(peak, running.size);
      settle.set(job.id, (ok) => {
        running.delete(job.id);
        resolve(ok);
      });
    });
  return { run, started, running, peak: () => peak, finish: (id: string, ok = true) => settle.get(id)!(ok) };
}

const job = (id: string, dependencies: string[] = [], priority = 0, exclusive = false): DagJob => ({ id, dependencies, priority, exclusive });

/** Drives `runDag` step by step: `next()` resolves with the next outcome. */
function drive(jobs: DagJob[], parallel: number, run: (job: DagJob) => Promise<boolean>) {
  const iterator = runDag(jobs, parallel, run);
  return { next: async (): Promise<DagOutcome | undefined> => (await iterator.next()).value ?? undefined };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runDag', () => {
  it('starts a job as soon as its own dependencies are done, not when its level is', async () => {
    // a → c (short chain) and b (long, same level as a): c must start while b still runs.
    const control = controlledRun();
    const dag = drive([job('a'), job('b'), job('c', ['a'])], 3, control.run);
    const first = dag.next();
    await tick();
    expect(control.started).toEqual(['a', 'b']);
    control.finish('a');
    expect(await first).toMatchObject({ id: 'a', status: 'success' });
    const second = dag.next();
    await tick();
    expect(control.started).toEqual(['a', 'b', 'c']);
    expect(control.running).toEqual(new Set(['b', 'c']));
    control.finish('b');
    control.finish('c');
    expect((await second)!.id).toBe('b');
    expect((await dag.next())!.id).toBe('c');
    expect(await dag.next()).toBeUndefined();
  });

  it('never runs more than `parallel` jobs at once, and starts the highest priority first', async () => {
    const control = controlledRun();
    const jobs = [job('low', [], 1), job('mid', [], 5), job('high', [], 9), job('top', [], 10)];
    const dag = drive(jobs, 2, control.run);
    const finishedOrder: string[] = [];
    for (;;) {
      const next = dag.next();
      await tick();
      const [oldest] = control.running;
      if (oldest) control.finish(oldest);
      const outcome = await next;
      if (!outcome) break;
      finishedOrder.push(outcome.id);
    }
    expect(control.started).toEqual(['top', 'high', 'mid', 'low']);
    expect(finishedOrder).toEqual(['top', 'high', 'mid', 'low']);
    expect(control.peak()).toBe(2);
  });

  it('fails a job alone: its dependents are skipped, its siblings and their dependents still run', async () => {
    const outcomes: DagOutcome[] = [];
    const jobs = [job('root'), job('bad', ['root']), job('sibling', ['root']), job('after-bad', ['bad']), job('deeper', ['after-bad', 'sibling']), job('after-sibling', ['sibling'])];
    for await (const outcome of runDag(jobs, 2, async (j) => j.id !== 'bad')) outcomes.push(outcome);
    const status = Object.fromEntries(outcomes.map((o) => [o.id, o.status]));
    expect(status).toEqual({ root: 'success', bad: 'failure', sibling: 'success', 'after-bad': 'skipped', deeper: 'skipped', 'after-sibling': 'success' });
    expect(outcomes.find((o) => o.id === 'deeper')!.blockedBy).toBe('bad');
  });

  it('counts a rejected job as failed and keeps going', async () => {
    const outcomes: DagOutcome[] = [];
    for await (const outcome of runDag([job('a'), job('b')], 2, async (j) => (j.id === 'a' ? Promise.reject(new Error('x')) : true))) outcomes.push(outcome);
    expect(Object.fromEntries(outcomes.map((o) => [o.id, o.status]))).toEqual({ a: 'failure', b: 'success' });
  });

  it('runs an exclusive job alone', async () => {
    const control = controlledRun();
    const dag = drive([job('solo', [], 9, true), job('x', [], 5), job('y', [], 1)], 4, control.run);
    const first = dag.next();
    await tick();
    expect(control.started).toEqual(['solo']);
    control.finish('solo');
    await first;
    const second = dag.next();
    await tick();
    expect(control.started).toEqual(['solo', 'x', 'y']);
    control.finish('x');
    control.finish('y');
    await second;
    while (await dag.next());
    expect(control.peak()).toBe(2);
  });

  it('never starts an exclusive job beside a running one, even when it has the highest priority', async () => {
    // `solo` becomes ready (its dependency `d` finished) while `r` still runs: it must wait for `r`.
    const control = controlledRun();
    const dag = drive([job('d', [], 10), job('r', [], 1), job('solo', ['d'], 20, true), job('after', [], 0)], 4, control.run);
    const first = dag.next();
    await tick();
    expect(control.running).toEqual(new Set(['d', 'r', 'after']));
    control.finish('d');
    expect((await first)!.id).toBe('d');
    const second = dag.next();
    await tick();
    expect(control.running).toEqual(new Set(['r', 'after'])); // solo is ready but held back
    control.finish('r');
    expect((await second)!.id).toBe('r');
    const third = dag.next();
    await tick();
    expect(control.running).toEqual(new Set(['after']));
    control.finish('after');
    expect((await third)!.id).toBe('after');
    const fourth = dag.next();
    await tick();
    expect(control.running).toEqual(new Set(['solo'])); // started only once nothing else runs
    control.finish('solo');
    expect((await fourth)!.id).toBe('solo');
    expect(await dag.next()).toBeUndefined();
  });

  it('holds back lower-priority jobs while an exclusive one waits for the running ones to finish', async () => {
    const control = controlledRun();
    const dag = drive([job('a', [], 9), job('solo', [], 5, true), job('b', [], 1)], 4, control.run);
    const first = dag.next();
    await tick();
    expect(control.started).toEqual(['a']);
    control.finish('a');
    await first;
    const second = dag.next();
    await tick();
    expect(control.started).toEqual(['a', 'solo']);
    control.finish('solo');
    await second;
    const third = dag.next();
    await tick();
    expect(control.started).toEqual(['a', 'solo', 'b']);
    control.finish('b');
    await third;
    expect(await dag.next()).toBeUndefined();
  });

  it('ignores dependencies outside the graph (Nx has already run them)', async () => {
    const outcomes: DagOutcome[] = [];
    for await (const outcome of runDag([job('a', ['done-before:phase'])], 1, async () => true)) outcomes.push(outcome);
    expect(outcomes.map((o) => o.status)).toEqual(['success']);
  });
});

describe('runDag: graphs as Nx hands them over', () => {
  const statuses = async (jobs: DagJob[], parallel: number, run: (job: DagJob) => Promise<boolean>) => {
    const outcomes: DagOutcome[] = [];
    for await (const outcome of runDag(jobs, parallel, run)) outcomes.push(outcome);
    return outcomes.map((o) => `${o.id}:${o.status}${o.blockedBy ? `<${o.blockedBy}` : ''}`);
  };

  it('runs one job at a time when told to run none at once (parallel 0 or less)', async () => {
    const control = controlledRun();
    const dag = drive([job('a'), job('b')], 0, control.run);
    const first = dag.next();
    await tick();
    expect(control.started).toEqual(['a']);
    control.finish('a');
    expect((await first)!.id).toBe('a');
    const second = dag.next();
    await tick();
    control.finish('b');
    expect((await second)!.id).toBe('b');
    expect(control.peak()).toBe(1);
  });

  it('runs a job whose dependency is listed twice, or that lists itself', async () => {
    expect(await statuses([job('a'), job('b', ['a', 'a']), job('c', ['c', 'b'])], 1, async () => true)).toEqual(['a:success', 'b:success', 'c:success']);
  });

  it('reports a job below a failure once, even when it is reached along two paths, and never runs it', async () => {
    const ran: string[] = [];
    const jobs = [job('bad'), job('x', ['bad']), job('y', ['bad']), job('z', ['x', 'y'])];
    expect(await statuses(jobs, 2, async (j) => (ran.push(j.id), j.id !== 'bad'))).toEqual(['bad:failure', 'x:skipped<bad', 'y:skipped<bad', 'z:skipped<bad']);
    expect(ran).toEqual(['bad']);
  });

  it('never runs a skipped job when its other dependency succeeds later', async () => {
    const control = controlledRun();
    const dag = drive([job('bad', [], 9), job('ok', [], 1), job('z', ['bad', 'ok'])], 2, control.run);
    const first = dag.next();
    await tick();
    control.finish('bad', false);
    expect((await first)!.id).toBe('bad');
    expect((await dag.next())).toMatchObject({ id: 'z', status: 'skipped', blockedBy: 'bad' });
    const last = dag.next();
    await tick();
    control.finish('ok');
    expect((await last)!.id).toBe('ok');
    expect(await dag.next()).toBeUndefined();
    expect(control.started).toEqual(['bad', 'ok']);
  });

  it('starts ready jobs of equal priority in the order it was given them', async () => {
    const control = controlledRun();
    const dag = drive([job('c', [], 3), job('b', [], 3), job('a', [], 3), job('first', [], 4)], 1, control.run);
    for (let i = 0; i < 4; i++) {
      const next = dag.next();
      await tick();
      control.finish(control.started[i]);
      await next;
    }
    expect(control.started).toEqual(['first', 'c', 'b', 'a']);
  });

  it('breaks a tie by the order it was given the jobs, not by the order they became ready', async () => {
    const control = controlledRun();
    const dag = drive([job('x', ['d'], 1), job('d', [], 9), job('y', [], 1)], 1, control.run);
    for (let i = 0; i < 3; i++) {
      const next = dag.next();
      await tick();
      control.finish(control.started[i]);
      await next;
    }
    expect(control.started).toEqual(['d', 'x', 'y']);
  });

  it('refuses a cycle, naming how many jobs can never start, instead of waiting forever', async () => {
    await expect(statuses([job('ok'), job('a', ['b']), job('b', ['a'])], 2, async () => true)).rejects.toThrow('runDag: 2 jobs can never start (a dependency cycle).');
  });

  it('gives each job that ran its start and end time, end not before start', async () => {
    const outcomes: DagOutcome[] = [];
    for await (const outcome of runDag([job('a')], 1, async () => true)) outcomes.push(outcome);
    expect(outcomes[0]).toEqual({ id: 'a', status: 'success', startTime: expect.any(Number), endTime: expect.any(Number) });
    expect(outcomes[0].endTime!).toBeGreaterThanOrEqual(outcomes[0].startTime!);
  });
});

describe('remainingPathWeights', () => {
  it('gives each job its own weight plus the heaviest chain after it', () => {
    const weights = remainingPathWeights(
      [
        { id: 'a', dependencies: [] },
        { id: 'b', dependencies: ['a'] },
        { id: 'c', dependencies: ['a'] },
        { id: 'd', dependencies: ['c', 'outside'] },
      ],
      (id) => ({ a: 1, b: 10, c: 2, d: 3 })[id]!,
    );
    expect(Object.fromEntries(weights)).toEqual({ a: 11, b: 10, c: 5, d: 3 });
  });

  it('weighs a job that lists itself or another job twice like any other, and a job of weight 0 as its chain', () => {
    const weights = remainingPathWeights(
      [
        { id: 'a', dependencies: ['a'] },
        { id: 'b', dependencies: ['a', 'a'] },
        { id: 'c', dependencies: ['b'] },
      ],
      (id) => ({ a: 0, b: 2, c: 3 })[id]!,
    );
    expect(Object.fromEntries(weights)).toEqual({ a: 5, b: 5, c: 3 });
  });

  it('gives the same weights whatever order the jobs are listed in', () => {
    const jobs = [
      { id: 'd', dependencies: ['b', 'c'] },
      { id: 'c', dependencies: ['a'] },
      { id: 'b', dependencies: ['a'] },
      { id: 'a', dependencies: [] },
    ];
    const weight = (id: string) => ({ a: 1, b: 10, c: 2, d: 3 })[id]!;
    expect(Object.fromEntries(remainingPathWeights(jobs, weight))).toEqual({ a: 14, b: 13, c: 5, d: 3 });
  });
});
