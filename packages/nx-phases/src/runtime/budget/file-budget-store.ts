import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../atomic-commit';
import { readTextIfPresent } from '../read-text';
import { withFileLock } from '../rate-limit/lock-file';
import { currentHolder, Holder, isHolderDead } from '../rate-limit/process-alive';
import { workspaceDataPath } from '../workspace-data';
import { emptyLedger, joinPeriod, Ledger, LedgerRun, parseLedger } from './ledger';
import { LedgerBudgetStore } from './ledger-budget-store';

/** Settings of a `FileBudgetStore`. */
export interface FileBudgetStoreOptions {
  /** Folder holding `ledger.json` and `ledger.lock` (see `budgetLedgerDir`). */
  dir: string;
  /** This run's cap, in USD; concurrent runs share what is spent, each checks it against its own cap. */
  budgetUsd: number;
  /** The run this process belongs to; the period lasts while one of its runs is alive. */
  run: LedgerRun;
  /** The process holding the reservations it makes (default: this process). */
  holder?: Holder;
  /** Tests replace the liveness check. */
  isDead?: (holder: Holder) => boolean;
}

/** `<Nx workspace data>/nx-phases/budget`: one ledger for every run of the workspace. */
export function budgetLedgerDir(workspaceRoot: string): string {
  return workspaceDataPath(workspaceRoot, 'budget');
}

/**
 * A `BudgetStore` in one JSON file, changed only under a lock file and replaced atomically (temp file + rename), so
 * a process killed at any moment leaves the previous or the next state. Reservations of processes that provably died
 * (same host) are dropped by the next change.
 */
export class FileBudgetStore extends LedgerBudgetStore {
  private readonly ledgerFile: string;
  private readonly lockFile: string;
  private readonly isDead: (holder: Holder) => boolean;

  constructor(private readonly options: FileBudgetStoreOptions) {
    super(options.budgetUsd, options.run.id, options.holder ?? currentHolder());
    this.ledgerFile = join(options.dir, 'ledger.json');
    this.lockFile = join(options.dir, 'ledger.lock');
    this.isDead = options.isDead ?? isHolderDead;
  }

  /** Read-modify-write under the lock; joins the period first (dropping dead holders). A damaged ledger throws. */
  protected async change<T>(apply: (ledger: Ledger, now: number) => T): Promise<T> {
    mkdirSync(this.options.dir, { recursive: true });
    return withFileLock(this.lockFile, () => {
      const text = readTextIfPresent(this.ledgerFile);
      const ledger = text === undefined ? emptyLedger() : parseLedger(text, this.ledgerFile);
      joinPeriod(ledger, this.options.run, this.isDead);
      const result = apply(ledger, Date.now());
      writeFileAtomically(this.ledgerFile, JSON.stringify(ledger, null, 1) + '\n', { durable: true });
      return result;
    });
  }
}
