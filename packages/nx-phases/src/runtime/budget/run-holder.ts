import { hostname } from 'node:os';
import { currentRunId } from '../run-records';
import type { LedgerRun } from './ledger';

/**
 * The run this process belongs to, for the budget period: Nx's run id and the `nx` process that forked this task
 * (alive for the whole run). Outside a run (`nx g`), the process itself is the run.
 */
export function currentBudgetRun(env: NodeJS.ProcessEnv = process.env): LedgerRun {
  const runId = currentRunId(env);
  if (runId) return { id: runId, pid: process.ppid, host: hostname() };
  return { id: `process-${process.pid}`, pid: process.pid, host: hostname() };
}
