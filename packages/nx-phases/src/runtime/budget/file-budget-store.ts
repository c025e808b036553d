import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../atomic-commit';
import { readTextIfPresent } from '../read-text';
import { withFileLock } from '../rate-limit/lock-file';
import { currentHolder, Holder, isHolderDead } from '../rate-limit/process-alive';
import { workspaceDataPath } from '../workspace-data';
import type { BudgetReservation, BudgetStatus, BudgetStore, ReserveResult } from './budget-store';
import { emptyLedger, joinPeriod, Ledger, LedgerRun, parseLedger, reservedUsd, roundUsd } from './ledger';

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
export class FileBudgetStore implements BudgetStore {
  private readonly ledgerFile: string;
  private readonly lockFile: string;
  private readonly holder: Holder;
  private readonly isDead: (holder: Holder) => boolean;

  constructor(private readonly options: FileBudgetStoreOptions) {
    this.ledgerFile = join(options.dir, 'ledger.json');
    this.lockFile = join(options.dir, 'ledger.lock');
    this.holder = options.holder ?? currentHolder();
    this.isDead = options.isDead ?? isHolderDead;
  }

  /** Reserve `amountUsd` unless spent + reserved + amount would pass the budget. */
  reserve(request: BudgetReservation): Promise<ReserveResult> {
    return this.change((ledger): ReserveResult => {
      const status = this.statusOf(ledger);
      const neededUsd = roundUsd(request.amountUsd);
      if (roundUsd(status.spentUsd + status.reservedUsd + neededUsd) > status.budgetUsd) return { ok: false, ...status, neededUsd };
      ledger.reservations.push({
        id: request.id,
        runId: this.options.run.id,
        phase: request.phase,
        amountUsd: neededUsd,
        ...this.holder,
        at: Date.now(),
      });
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
    return { budgetUsd: this.options.budgetUsd, spentUsd: ledger.spentUsd, reservedUsd: reservedUsd(ledger) };
  }

  /** Read-modify-write under the lock; joins the period first (dropping dead holders). A damaged ledger throws. */
  private async change<T>(apply: (ledger: Ledger) => T): Promise<T> {
    mkdirSync(this.options.dir, { recursive: true });
    return withFileLock(this.lockFile, () => {
      const text = readTextIfPresent(this.ledgerFile);
      const ledger = text === undefined ? emptyLedger() : parseLedger(text, this.ledgerFile);
      joinPeriod(ledger, this.options.run, this.isDead);
      const result = apply(ledger);
      writeFileAtomically(this.ledgerFile, JSON.stringify(ledger, null, 1) + '\n', { durable: true });
      return result;
    });
  }
}
