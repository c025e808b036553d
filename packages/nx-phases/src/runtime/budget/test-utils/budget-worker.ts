/**
 * A child process for the budget store tests. Config comes as JSON in argv[2]: `{ dir, budgetUsd, runId, runPid,
 * amountUsd, phase, hold }`. It reserves once (with `gate`, after a line on stdin), prints `{"ok": …}` on one stdout line, then exits, or with `hold`
 * keeps the reservation until it is killed. With `loop`, it then settles and reserves again without end, printing
 * `settled <n>` after each settle, until it is killed (a crash at any point of a ledger change).
 */
import { hostname } from 'node:os';
import { FileBudgetStore } from '../file-budget-store';

/** The worker's configuration (JSON in argv[2]). */
export interface BudgetWorkerConfig {
  dir: string;
  budgetUsd: number;
  runId: string;
  runPid: number;
  amountUsd: number;
  phase: string;
  hold?: boolean;
  /** Print `ready` and reserve only once a line arrives on stdin (a gate that starts every worker at once). */
  gate?: boolean;
  /** Settle each reservation to `amountUsd` and reserve again, printing `settled <n>`, until killed. */
  loop?: boolean;
}

async function main(config: BudgetWorkerConfig): Promise<void> {
  if (config.gate) {
    process.stdout.write('ready\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
  }
  const store = new FileBudgetStore({ dir: config.dir, budgetUsd: config.budgetUsd, run: { id: config.runId, pid: config.runPid, host: hostname() } });
  const result = await store.reserve({ id: `${config.phase}-${process.pid}`, amountUsd: config.amountUsd, phase: config.phase });
  process.stdout.write(JSON.stringify({ ok: result.ok, pid: process.pid }) + '\n');
  if (config.hold) await new Promise(() => setInterval(() => undefined, 60_000));
  let held = `${config.phase}-${process.pid}`;
  for (let settled = 1; config.loop; settled++) {
    await store.settle(held, config.amountUsd);
    process.stdout.write(`settled ${settled}\n`);
    held = `${config.phase}-${process.pid}-${settled}`;
    await store.reserve({ id: held, amountUsd: config.amountUsd, phase: config.phase });
  }
}

main(JSON.parse(process.argv[2]) as BudgetWorkerConfig).catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
