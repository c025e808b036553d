/** The cost budget: a store shared by every process of a run and by concurrent runs (file-backed here, or Redis). */
export type { BudgetStore, BudgetReservation, BudgetRefusal, BudgetStatus, ReserveResult } from './budget-store';
export { FileBudgetStore, budgetLedgerDir, type FileBudgetStoreOptions } from './file-budget-store';
export { LedgerError, type Ledger, type LedgerRun, type LedgerReservation } from './ledger';
export { reserveCall, formatUsd, BudgetExceededError, type ReserveCallOptions } from './reserve-call';
export { currentBudgetRun } from './run-holder';
