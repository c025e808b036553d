import { findDependencyCycles } from './cycles';

/** `findDependencyCycles` over a dependency table written as `{ phase: [its dependencies] }`, in the listed order. */
function cyclesOf(table: Record<number, number[]>): number[][] {
  return findDependencyCycles(
    Object.keys(table).map(Number),
    (n) => table[n],
  );
}

describe('findDependencyCycles', () => {
  it('lists the cycles by their lowest phase, also when the later cycle is found first', () => {
    // 1 depends on 3 before 2: the cycle 3 ⇄ 4 is completed before the cycle 1 ⇄ 2.
    expect(cyclesOf({ 1: [3, 2], 2: [1], 3: [4], 4: [3] })).toEqual([
      [1, 2, 1],
      [3, 4, 3],
    ]);
  });

  it('keeps two cycles apart when one depends on the other', () => {
    // 2 ⇄ 3 and 4 ⇄ 5 are separate cycles; 5 also depends on 2, and 1 depends on both: 1 is on no cycle.
    expect(cyclesOf({ 1: [2, 4], 2: [3], 3: [2], 4: [5], 5: [4, 2] })).toEqual([
      [2, 3, 2],
      [4, 5, 4],
    ]);
  });

  it('names the shortest cycle through the lower-numbered dependency when two are as short, whatever order they are listed in', () => {
    expect(cyclesOf({ 1: [3, 2], 2: [1], 3: [1] })).toEqual([[1, 2, 1]]);
    // Two paths of the same length back to 1: through 2 and through 3; the one through 2 is named.
    expect(cyclesOf({ 1: [3, 2], 2: [4], 3: [4], 4: [1] })).toEqual([[1, 2, 4, 1]]);
  });

  it('finds nothing in a plan that can be ordered', () => {
    expect(cyclesOf({ 1: [], 2: [1], 3: [1, 2] })).toEqual([]);
  });
});
