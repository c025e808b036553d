import type { Holder } from '../rate-limit/process-alive';
import type { BudgetReservation, BudgetStatus, BudgetStore, ReserveResult } from './budget-store';
import { reservedUsd, roundUsd, type Ledger } from './ledger';

/**
 * The budget's rules on a ledger (reserve the worst case unless spent + reserved + it would pass the budget, settle to
 * the real cost, release), for any store that can change the ledger atomically: `change` reads it, joins the period,
 * applies one rule and writes it back (a file under a lock, a Redis transaction).
 */
export abstract class LedgerBudgetStore implements BudgetStore {
  protected constructor(
    private readonly budgetUsd: number,
    private readonly runId: string,
    private readonly holder: Holder,
  ) {}

  /** Applies `apply` to the current ledger atomically and stores the result; `now` is the store's clock. */
  protected abstract change<T>(apply: (ledger: Ledger, now: number) => T): Promise<T>;

  /** Reserve `amountUsd` unless spent + reserved + amount would pass the budget. */
  reserve(request: BudgetReservation): Promise<ReserveResult> {
    return this.change((ledger, now): ReserveResult => {
      const status = this.statusOf(ledger);
      const neededUsd = roundUsd(request.amountUsd);
      if (roundUsd(status.spentUsd + status.reservedUsd + neededUsd) > status.budgetUsd) return { ok: false, ...status, neededUsd };
      ledger.reservations.push({ id: request.id, runId: this.runId, phase: request.phase, amountUsd: neededUsd, ...this.holder, at: now });
      return { ok: true };
    });
  }

  /** Replace reservation `id` by what the call really cost (added to spent even if the reservation is gone). */
  settle(id: string, actualUsd: number): Promise<void> {
    return this.change((ledger) => {
      ledger.reservations = ledger.reservations.filter((reservation) => reservation.id !== id);
      ledger.spentUsd = roundUsd(ledger.spentUsd + Math.max(0, actualUsd));
    });
  }

  /** Drop reservation `id` without spending (the call was never sent, or the server refused it). */
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
    return { budgetUsd: this.budgetUsd, spentUsd: ledger.spentUsd, reservedUsd: reservedUsd(ledger) };
  }
}
