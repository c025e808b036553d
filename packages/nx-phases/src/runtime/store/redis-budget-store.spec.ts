import { startRedisServer, type RedisServer } from '../../test-utils/redis-server';
import { LedgerError } from '../budget/ledger';
import { BUDGET_KEY, RedisBudgetStore } from './redis-budget-store';
import { closeRedisStore, useRedisStore } from './store-client';

describe('the budget on a real Redis, shared by machines', () => {
  let redis: RedisServer;
  const env = () => ({ NX_PHASES_STORE: redis.url });
  const machine = (id: string, budgetUsd = 1) => new RedisBudgetStore({ budgetUsd, run: { id, pid: process.pid, host: 'this-host' }, env: env() });

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    closeRedisStore();
    await redis?.dispose();
  });
  beforeEach(async () => {
    await (await useRedisStore(env()))!.client.flushall();
  });

  it('two machines spend from one budget: a reservation that would pass it is refused, settling frees the rest', async () => {
    const [a, b] = [machine('run-a'), machine('run-b')];
    await expect(a.reserve({ id: 'a1', amountUsd: 0.6, phase: 'shop#1' })).resolves.toEqual({ ok: true });
    await expect(b.reserve({ id: 'b1', amountUsd: 0.6, phase: 'shop#2' })).resolves.toEqual({ ok: false, budgetUsd: 1, spentUsd: 0, reservedUsd: 0.6, neededUsd: 0.6 });
    await a.settle('a1', 0.25);
    await expect(b.reserve({ id: 'b1', amountUsd: 0.6, phase: 'shop#2' })).resolves.toEqual({ ok: true });
    await b.release('b1');
    await expect(a.status()).resolves.toEqual({ budgetUsd: 1, spentUsd: 0.25, reservedUsd: 0 });
  });

  it('refuses a damaged ledger, naming the key and the JSON path, instead of guessing what was spent', async () => {
    await (await useRedisStore(env()))!.client.set(BUDGET_KEY, JSON.stringify({ version: 1, runs: [], spentUsd: -5, reservations: [] }));
    const attempt = machine('run-a').status();
    await expect(attempt).rejects.toThrow(LedgerError);
    await expect(machine('run-a').status()).rejects.toThrow(`Redis key nx-phases:budget at ${redis.url} is damaged: $.spentUsd must be a finite number >= 0`);
  });
});
