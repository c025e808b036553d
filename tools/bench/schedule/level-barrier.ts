/**
 * The seed's level-barrier schedule: levels run one after another; inside a level, phases (in the given
 * order) run in batches of `parallel`, and each batch waits for its slowest phase.
 */
export function levelBarrierMakespan(levels: number[][], durationOf: (phase: number) => number, parallel: number): number {
  let total = 0;
  for (const level of levels) {
    for (let start = 0; start < level.length; start += parallel) {
      total += Math.max(...level.slice(start, start + parallel).map(durationOf));
    }
  }
  return total;
}
