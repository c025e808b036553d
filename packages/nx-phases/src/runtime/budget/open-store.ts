import type { BudgetStore } from './budget-store';
import { budgetLedgerDir, FileBudgetStore } from './file-budget-store';
import { currentBudgetRun } from './run-holder';

/** The budget store of the workspace for this process's run: the file ledger in the workspace data folder. */
export function openBudgetStore(workspaceRoot: string, budgetUsd: number): BudgetStore {
  return new FileBudgetStore({ dir: budgetLedgerDir(workspaceRoot), budgetUsd, run: currentBudgetRun() });
}
