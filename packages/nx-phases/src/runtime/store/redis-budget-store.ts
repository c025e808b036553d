import { emptyLedger, joinPeriod, parseLedger, type Ledger, type LedgerRun } from '../budget/ledger';
import { LedgerBudgetStore } from '../budget/ledger-budget-store';
import { currentHolder, isHolderDead, type Holder } from '../rate-limit/process-alive';
import { updateRedisDocument } from './redis-transaction';
import { releaseRedisStore, useRedisStore } from './store-client';

/** The key of the budget ledger every machine using this Redis shares. */
export const BUDGET_KEY = 'nx-phases:budget';
/**
 * The ledger lives this long after its last change. A run on another host is never provably dead, so a period ends
 * (and a killed machine's reservations go) when no machine has reserved, settled or released for this long.
 */
const LEDGER_TTL_MS = 15 * 60_000;

/** Settings of a `RedisBudgetStore`. */
export interface RedisBudgetStoreOptions {
  budgetUsd: number;
  run: LedgerRun;
  holder?: Holder;
  env?: NodeJS.ProcessEnv;
}

/**
 * The budget ledger of `FileBudgetStore` (same rules: reserve the worst case, settle to the real cost, release) as one
 * JSON value in Redis, changed by optimistic transactions, so every machine of a CI matrix spends from one budget.
 */
export class RedisBudgetStore extends LedgerBudgetStore {
  constructor(private readonly options: RedisBudgetStoreOptions) {
    super(options.budgetUsd, options.run.id, options.holder ?? currentHolder());
  }

  /** One optimistic transaction on the ledger key (the period joined first), on Redis's clock. */
  protected async change<T>(apply: (ledger: Ledger, now: number) => T): Promise<T> {
    const store = await useRedisStore(this.options.env);
    if (!store) throw new Error('nx-phases internal error: the Redis budget store is used without NX_PHASES_STORE=redis://…');
    const where = `Redis key ${BUDGET_KEY} at ${store.setting.displayUrl}`;
    try {
      return await updateRedisDocument(store, {
        key: BUDGET_KEY,
        parse: (text) => (text === null ? emptyLedger() : parseLedger(text, where)),
        change: (ledger, now) => {
          joinPeriod(ledger, this.options.run, isHolderDead);
          return apply(ledger, now);
        },
        ttlMs: LEDGER_TTL_MS,
      });
    } finally {
      releaseRedisStore();
    }
  }
}
