import { canRunConcurrently, createReachability, parsePlan, topologicalOrder, transitiveDependencies } from './index';
import type { PhasePlan } from './index';
import { mulberry32 } from './test-utils/prng';
import { randomPlanDocument } from './test-utils/random-plan';
import { makePlan } from './test-utils/make-plan';
import { reachabilityIndex } from './reachability';

/** Transitive dependencies by plain depth-first search, as the reference. */
function naiveAncestors(plan: PhasePlan, n: number): Set<number> {
  const byNumber = new Map(plan.phases.map((phase) => [phase.number, phase]));
  const seen = new Set<number>();
  const stack = [...byNumber.get(n)!.dependencies];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...byNumber.get(next)!.dependencies);
  }
  return seen;
}

describe('reachability', () => {
  const plan = makePlan([
    { number: 1 },
    { number: 2, dependencies: [1] },
    { number: 3, dependencies: [1] },
    { number: 4, dependencies: [3] },
    { number: 5 },
  ]);
  const reachability = createReachability(plan);

  it('builds the index once per plan object and reuses it for every later question about that plan', () => {
    expect(reachabilityIndex(plan)).toBe(reachabilityIndex(plan));
    expect(reachabilityIndex(makePlan([{ number: 1 }]))).not.toBe(reachabilityIndex(plan));
  });

  it('answers reaches() in the dependency direction only', () => {
    expect(reachability.reaches(1, 4)).toBe(true);
    expect(reachability.reaches(4, 1)).toBe(false);
    expect(reachability.reaches(2, 4)).toBe(false);
    expect(reachability.reaches(3, 3)).toBe(false);
  });

  it('treats unordered phases on any level as concurrent, and a phase as not concurrent with itself', () => {
    expect(reachability.canRunConcurrently(2, 4)).toBe(true);
    expect(reachability.canRunConcurrently(5, 4)).toBe(true);
    expect(reachability.canRunConcurrently(1, 4)).toBe(false);
    expect(reachability.canRunConcurrently(2, 2)).toBe(false);
  });

  it('lists ancestors in topological order', () => {
    expect(reachability.ancestorsOf(4)).toEqual([1, 3]);
    expect(reachability.ancestorsOf(1)).toEqual([]);
  });

  it('rejects unknown phase numbers', () => {
    expect(() => reachability.reaches(1, 42)).toThrow('Phase 42 is not part of plan "test".');
    expect(() => reachability.canRunConcurrently(42, 42)).toThrow(RangeError);
  });

  it('offers cached plan-level helpers', () => {
    expect(canRunConcurrently(plan, 2, 3)).toBe(true);
    expect(transitiveDependencies(plan, 4)).toEqual([1, 3]);
  });

  it('matches a depth-first reference on 100 random DAGs, with ancestors in topological order', () => {
    const random = mulberry32(42);
    for (let run = 0; run < 100; run++) {
      const randomPlan = parsePlan(JSON.stringify(randomPlanDocument(random, 2 + (run % 70))), 'phases.json');
      const ordered = createReachability(randomPlan);
      const rank = new Map(topologicalOrder(randomPlan).map((n, index) => [n, index]));
      const mismatches = randomPlan.phases.flatMap((phase) => {
        const expected = naiveAncestors(randomPlan, phase.number);
        const ancestors = ordered.ancestorsOf(phase.number);
        const ranks = ancestors.map((n) => rank.get(n)!);
        const problems: string[] = [];
        if (JSON.stringify([...ancestors].sort((a, b) => a - b)) !== JSON.stringify([...expected].sort((a, b) => a - b))) {
          problems.push(`ancestorsOf(${phase.number}) = ${ancestors}, expected ${[...expected]}`);
        }
        if (ranks.some((r, i) => i > 0 && ranks[i - 1] >= r)) problems.push(`ancestorsOf(${phase.number}) not in topological order`);
        for (const other of randomPlan.phases) {
          if (ordered.reaches(other.number, phase.number) !== expected.has(other.number)) {
            problems.push(`reaches(${other.number}, ${phase.number}) is wrong`);
          }
        }
        return problems;
      });
      expect(mismatches).toEqual([]);
    }
  });
});
