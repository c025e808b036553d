import type { BudgetStore } from './budget-store';
import { budgetLedgerDir, FileBudgetStore } from './file-budget-store';
import { currentBudgetRun } from './run-holder';
import { RedisBudgetStore } from '../store/redis-budget-store';
import { taskStoreSetting } from '../store/store-client';

/** The budget store for this process's run: the ledger in Redis on the Redis store, else the file ledger in the workspace data folder. */
export function openBudgetStore(workspaceRoot: string, budgetUsd: number): BudgetStore {
  if (taskStoreSetting().kind === 'redis') return new RedisBudgetStore({ budgetUsd, run: currentBudgetRun() });
  return new FileBudgetStore({ dir: budgetLedgerDir(workspaceRoot), budgetUsd, run: currentBudgetRun() });
}
