/** The cost budget: a store shared by every process of a run and by concurrent runs (file-backed here, or Redis). */
export type { BudgetStore, BudgetReservation, BudgetRefusal, BudgetStatus, ReserveResult } from './budget-store';
export { FileBudgetStore, budgetLedgerDir, type FileBudgetStoreOptions } from './file-budget-store';
export { LedgerError, type Ledger, type LedgerRun, type LedgerReservation } from './ledger';
export { reserveCall, BudgetExceededError, type ReserveCallOptions } from './reserve-call';
export { currentBudgetRun } from './run-holder';
export { openBudgetStore } from './open-store';
export { resolveMaxCostUsd, MaxCostError, MAX_COST_ENV, WORKSPACE_MAX_COST_ENV, type MaxCost } from './budget-config';
