import type { PhasePlan } from '../plan/types';

/** Per-phase time estimates for planning: measured where a manifest recorded one, the median elsewhere. */
export interface DurationEstimate {
  /** Phase number → estimated milliseconds (every phase of the plan). */
  ms: Map<number, number>;
  /** How many phases had a measured duration. */
  measured: number;
}

/**
 * Fills in durations for phases without a measurement using the median of the measured ones.
 * Returns `undefined` when nothing was measured: there is then no time estimate at all.
 */
export function estimateDurations(plan: PhasePlan, measured: Map<number, number>): DurationEstimate | undefined {
  const known = plan.phases.map((phase) => measured.get(phase.number)).filter((ms): ms is number => ms !== undefined);
  if (known.length === 0) return undefined;
  const fallback = median(known);
  return {
    ms: new Map(plan.phases.map((phase) => [phase.number, measured.get(phase.number) ?? fallback])),
    measured: known.length,
  };
}

/** The median of a non-empty list (mean of the two middle values for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
