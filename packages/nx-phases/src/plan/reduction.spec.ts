import { parsePlan, reduceDependencies, transitiveDependencies } from './index';
import type { PhasePlan } from './index';
import { makePlan } from './test-utils/make-plan';
import { mulberry32 } from './test-utils/prng';
import { randomPlanDocument } from './test-utils/random-plan';
import { scrambled } from './test-utils/scrambled';

/** Phases `to` reaches through `edges` by plain depth-first search (the reference). */
function ancestorsThrough(edges: Array<{ from: number; to: number }>, to: number): number[] {
  const seen = new Set<number>();
  const stack = edges.filter((edge) => edge.to === to).map((edge) => edge.from);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...edges.filter((edge) => edge.to === next).map((edge) => edge.from));
  }
  return [...seen].sort((a, b) => a - b);
}

describe('reduceDependencies', () => {
  it('keeps the edges no other dependency implies, and names the dependency each implied edge goes through', () => {
    const plan = makePlan([
      { number: 1 },
      { number: 2, dependencies: [1] },
      { number: 3, dependencies: [1, 2] },
      { number: 4, dependencies: [3, 1, 2] },
      { number: 5, dependencies: [1] },
    ]);
    expect(reduceDependencies(plan)).toEqual({
      direct: [{ from: 1, to: 2 }, { from: 2, to: 3 }, { from: 3, to: 4 }, { from: 1, to: 5 }],
      implied: [{ from: 1, to: 3, via: 2 }, { from: 1, to: 4, via: 2 }, { from: 2, to: 4, via: 3 }],
    });
  });

  it('gives the same edges, by `to` then `from`, through the lowest-numbered dependency, for a plan listed in any order', () => {
    const plan = makePlan([
      { number: 1 },
      { number: 2, dependencies: [1] },
      { number: 3, dependencies: [1] },
      { number: 4, dependencies: [3, 2, 1] },
      { number: 5, dependencies: [4, 1] },
    ]);
    const expected = {
      direct: [{ from: 1, to: 2 }, { from: 1, to: 3 }, { from: 2, to: 4 }, { from: 3, to: 4 }, { from: 4, to: 5 }],
      implied: [{ from: 1, to: 4, via: 2 }, { from: 1, to: 5, via: 4 }],
    };
    expect(reduceDependencies(plan)).toEqual(expected);
    for (const seed of [1, 2, 3, 4, 5]) {
      const inMemory = scrambled(plan, seed);
      inMemory.phases.find((phase) => phase.number === 4)!.dependencies = [3, 2, 1];
      expect(reduceDependencies(inMemory)).toEqual(expected);
    }
  });

  it.each([1, 2, 3, 4, 5, 6])('on random plan %i: same reachability as the plan, no edge redundant, every listed edge accounted for', (seed) => {
    const plan: PhasePlan = parsePlan(JSON.stringify(randomPlanDocument(mulberry32(seed), 40)), 'phases.json');
    const { direct, implied } = reduceDependencies(plan);
    for (const phase of plan.phases) expect(ancestorsThrough(direct, phase.number)).toEqual([...transitiveDependencies(plan, phase.number)].sort((a, b) => a - b));
    for (const edge of direct) {
      const without = direct.filter((other) => other !== edge);
      expect(ancestorsThrough(without, edge.to)).not.toContain(edge.from);
    }
    for (const edge of implied) expect(ancestorsThrough(direct, edge.via)).toContain(edge.from);
    const listed = plan.phases.flatMap((phase) => [...new Set(phase.dependencies)].map((from) => `${from}->${phase.number}`)).sort();
    expect([...direct, ...implied].map((edge) => `${edge.from}->${edge.to}`).sort()).toEqual(listed);
    expect(implied.length).toBeGreaterThan(0);
  });
});
