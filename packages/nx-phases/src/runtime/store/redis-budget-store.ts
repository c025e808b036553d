import type { BudgetReservation, BudgetStatus, BudgetStore, ReserveResult } from '../budget/budget-store';
import { emptyLedger, joinPeriod, parseLedger, reservedUsd, roundUsd, type Ledger, type LedgerRun } from '../budget/ledger';
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
export class RedisBudgetStore implements BudgetStore {
  private readonly holder: Holder;

  constructor(private readonly options: RedisBudgetStoreOptions) {
    this.holder = options.holder ?? currentHolder();
  }

  /** Reserve `amountUsd` unless spent + reserved + amount would pass the budget. */
  reserve(request: BudgetReservation): Promise<ReserveResult> {
    return this.change((ledger, now): ReserveResult => {
      const status = this.statusOf(ledger);
      const neededUsd = roundUsd(request.amountUsd);
      if (roundUsd(status.spentUsd + status.reservedUsd + neededUsd) > status.budgetUsd) return { ok: false, ...status, neededUsd };
      ledger.reservations.push({ id: request.id, runId: this.options.run.id, phase: request.phase, amountUsd: neededUsd, ...this.holder, at: now });
      return { ok: true };
    });
  }

  /** Replace reservation `id` by what the call really cost. */
  settle(id: string, actualUsd: number): Promise<void> {
    return this.change((ledger) => {
      ledger.reservations = ledger.reservations.filter((reservation) => reservation.id !== id);
      ledger.spentUsd = roundUsd(ledger.spentUsd + Math.max(0, actualUsd));
    });
  }

  /** Drop reservation `id` without spending. */
  release(id: string): Promise<void> {
    return this.change((ledger) => {
      ledger.reservations = ledger.reservations.filter((reservation) => reservation.id !== id);
    });
  }

  /** The budget, what the period spent and what live calls hold. */
  status(): Promise<BudgetStatus> {
    return this.change((ledger) => this.statusOf(ledger));
  }

  private statusOf(ledger: Ledger): BudgetStatus {
    return { budgetUsd: this.options.budgetUsd, spentUsd: ledger.spentUsd, reservedUsd: reservedUsd(ledger) };
  }

  private async change<T>(apply: (ledger: Ledger, now: number) => T): Promise<T> {
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
