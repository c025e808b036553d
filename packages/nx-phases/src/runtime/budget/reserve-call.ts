import { formatUsd } from '../../cost';
import { sleep } from '../rate-limit/sleep';
import type { BudgetRefusal, BudgetReservation, BudgetStore } from './budget-store';

/** Options of `reserveCall`. */
export interface ReserveCallOptions {
  signal?: AbortSignal;
  /** Called while the call waits for running calls to settle (their reservations may free enough). */
  onWait?(refusal: BudgetRefusal): void;
  /** Pause between attempts while waiting (default 100 ms, plus up to 100 % jitter). */
  pollMs?: number;
  /** Where the budget was set (e.g. `maxCostUsd in nx.json`), named in the refusal. */
  source?: string;
}

/**
 * Reserve a call's worst case. When only other calls' reservations stand in the way (spent + needed fits the budget),
 * wait for them to settle and try again; when even that cannot fit, throw `BudgetExceededError` before anything is sent.
 */
export async function reserveCall(store: BudgetStore, request: BudgetReservation, options: ReserveCallOptions = {}): Promise<void> {
  for (;;) {
    const result = await store.reserve(request);
    if (result.ok) return;
    const couldFitLater = result.reservedUsd > 0 && result.spentUsd + result.neededUsd <= result.budgetUsd;
    if (!couldFitLater) throw new BudgetExceededError(request.phase, result, options.source);
    options.onWait?.(result);
    const pollMs = options.pollMs ?? 100;
    await sleep(pollMs * (1 + Math.random()), options.signal);
  }
}

/** A call's worst case does not fit what is left of the budget; nothing was sent. */
export class BudgetExceededError extends Error {
  constructor(
    readonly phase: string,
    readonly refusal: BudgetRefusal,
    readonly source?: string,
  ) {
    super(
      `Budget exceeded: phase ${phase} needs up to ${formatUsd(refusal.neededUsd)} for its next call, but the budget is ` +
        `${formatUsd(refusal.budgetUsd)}${source ? ` (${source})` : ''} with ${formatUsd(refusal.spentUsd)} spent and ${formatUsd(refusal.reservedUsd)} reserved ` +
        'by calls in progress. Nothing was sent and nothing was committed. Raise maxCostUsd (phases.json, the nx-phases ' +
        'plugin options in nx.json, or NX_PHASES_MAX_COST_USD for one run), or lower the phase\'s maxOutputTokens.',
    );
    this.name = 'BudgetExceededError';
  }
}
