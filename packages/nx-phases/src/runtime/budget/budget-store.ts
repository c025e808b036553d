/** One call's worst-case cost, reserved before the call is sent. */
export interface BudgetReservation {
  /** Unique per call (a random id); `settle` and `release` name it. */
  id: string;
  amountUsd: number;
  /** The phase that reserves, for messages and for people reading the ledger (e.g. `shop#5`). */
  phase: string;
}

/** Why a reservation was refused: the budget and what is already spent and reserved, in USD. */
export interface BudgetRefusal {
  ok: false;
  budgetUsd: number;
  spentUsd: number;
  reservedUsd: number;
  neededUsd: number;
}

/** The answer to `reserve`. */
export type ReserveResult = { ok: true } | BudgetRefusal;

/** Where the budget stands now, in USD. */
export interface BudgetStatus {
  budgetUsd: number;
  spentUsd: number;
  reservedUsd: number;
}

/**
 * A spending cap shared by every process of a run and by concurrent runs of the workspace. A call reserves its worst
 * case before it is sent (`reserve` refuses when spent + reserved + amount would pass the budget), then `settle`s to
 * its real cost, or `release`s when nothing was spent. Implementations: `FileBudgetStore` (the workspace data folder)
 * and the Redis store.
 */
export interface BudgetStore {
  reserve(request: BudgetReservation): Promise<ReserveResult>;
  settle(id: string, actualUsd: number): Promise<void>;
  release(id: string): Promise<void>;
  status(): Promise<BudgetStatus>;
}
