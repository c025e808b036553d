import { Holder } from '../rate-limit/process-alive';

/** A run taking part in the current budget period; alive while its holder (the `nx` process) is. */
export interface LedgerRun extends Holder {
  id: string;
}

/** A reservation held by one process for one call. */
export interface LedgerReservation extends Holder {
  id: string;
  runId: string;
  phase: string;
  amountUsd: number;
  /** When it was made (ms since the epoch), for people reading the file. */
  at: number;
}

/**
 * The shared budget state. A period starts when a run reserves while no run of the current period is alive and no
 * reservation is held; every run that reserves while one of the period's runs is alive joins it and shares `spentUsd`.
 */
export interface Ledger {
  version: 1;
  runs: LedgerRun[];
  spentUsd: number;
  reservations: LedgerReservation[];
}

/** A fresh ledger with nothing spent. */
export function emptyLedger(): Ledger {
  return { version: 1, runs: [], spentUsd: 0, reservations: [] };
}

/** Amounts are kept in whole micro-dollars so sums of many small costs never drift. */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** Sum of the held reservations, in USD. */
export function reservedUsd(ledger: Ledger): number {
  return roundUsd(ledger.reservations.reduce((sum, reservation) => sum + reservation.amountUsd, 0));
}

/**
 * Drops reservations and runs whose holders provably died. When `run` is not part of a live period (no live run and
 * no reservation left), a new period starts with nothing spent. `run` joins the period.
 */
export function joinPeriod(ledger: Ledger, run: LedgerRun, isDead: (holder: Holder) => boolean): void {
  ledger.reservations = ledger.reservations.filter((reservation) => !isDead(reservation));
  ledger.runs = ledger.runs.filter((candidate) => !isDead(candidate));
  const member = ledger.runs.some((candidate) => candidate.id === run.id);
  if (!member && ledger.runs.length === 0 && ledger.reservations.length === 0) ledger.spentUsd = 0;
  if (!member) ledger.runs.push(run);
}

/** Reads a ledger from its JSON text; a `LedgerError` describes the first problem (the file may be hostile). */
export function parseLedger(text: string, file: string): Ledger {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LedgerError(file, '$', 'is not valid JSON');
  }
  const ledger = value as Ledger;
  if (typeof value !== 'object' || value === null || ledger.version !== 1) throw new LedgerError(file, '$.version', 'must be 1');
  if (!isAmount(ledger.spentUsd)) throw new LedgerError(file, '$.spentUsd', 'must be a finite number >= 0');
  if (!Array.isArray(ledger.runs)) throw new LedgerError(file, '$.runs', 'must be an array');
  ledger.runs.forEach((run, index) => {
    if (!isHolder(run) || !isText(run.id)) throw new LedgerError(file, `$.runs[${index}]`, 'must be { id, pid, host }');
  });
  if (!Array.isArray(ledger.reservations)) throw new LedgerError(file, '$.reservations', 'must be an array');
  ledger.reservations.forEach((reservation, index) => {
    const path = `$.reservations[${index}]`;
    if (!isHolder(reservation) || !isText(reservation.id) || !isText(reservation.runId) || typeof reservation.phase !== 'string') {
      throw new LedgerError(file, path, 'must be { id, runId, phase, amountUsd, pid, host, at }');
    }
    if (!isAmount(reservation.amountUsd)) throw new LedgerError(file, `${path}.amountUsd`, 'must be a finite number >= 0');
  });
  return { version: 1, runs: ledger.runs, spentUsd: ledger.spentUsd, reservations: ledger.reservations };
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}

function isHolder(value: unknown): value is Holder {
  const holder = value as Holder;
  return typeof value === 'object' && value !== null && Number.isSafeInteger(holder.pid) && typeof holder.host === 'string';
}

/** The budget ledger on disk is not one nx-phases wrote: the message names the file, the JSON path and the fix. */
export class LedgerError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    problem: string,
  ) {
    super(
      `The budget ledger ${file} is damaged: ${jsonPath} ${problem}. nx-phases refuses to guess what was spent. ` +
        'When no nx-phases run is active, delete that file and run again.',
    );
    this.name = 'LedgerError';
  }
}
