import { PlanError, computeLevels, groupByLevel, topologicalOrder } from './index';
import type { PhasePlan } from './index';
import { makePlan } from './test-utils/make-plan';
import { mulberry32 } from './test-utils/prng';
import { randomPlanDocument } from './test-utils/random-plan';
import { scrambled } from './test-utils/scrambled';
import { parsePlan } from './parse';

/** Kahn's order by the definition (the reference): repeatedly take the lowest-numbered phase whose dependencies are done. */
function kahnByDefinition(plan: PhasePlan): number[] {
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < plan.phases.length) {
    const ready = plan.phases.filter((p) => !done.has(p.number) && p.dependencies.every((d) => done.has(d))).map((p) => p.number);
    const next = Math.min(...ready);
    done.add(next);
    order.push(next);
  }
  return order;
}

/** Setup → Database → (Auth, Catalog) → Admin(Auth) ; Polish(Catalog, Admin). */
const shop = makePlan([
  { number: 1, name: 'Setup' },
  { number: 2, name: 'Database', dependencies: [1] },
  { number: 3, name: 'Auth', dependencies: [2] },
  { number: 4, name: 'Product Catalog', dependencies: [2] },
  { number: 5, name: 'Admin', dependencies: [3] },
  { number: 6, name: 'Polish', dependencies: [4, 5] },
  { number: 7, name: 'Docs' },
]);

describe('computeLevels', () => {
  it('puts roots on level 1 and every phase one level below its deepest dependency', () => {
    expect([...computeLevels(shop)]).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 3],
      [5, 4],
      [6, 5],
      [7, 1],
    ]);
  });
});

describe('groupByLevel', () => {
  it('groups phases by level, index 0 being level 1, sorted by number', () => {
    expect(groupByLevel(shop).map((group) => group.map((phase) => phase.number))).toEqual([[1, 7], [2], [3, 4], [5], [6]]);
  });
});

describe('topologicalOrder', () => {
  it('is Kahn’s order taking the lowest ready number first', () => {
    expect(topologicalOrder(shop)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const plan = makePlan([
      { number: 1, name: 'A', dependencies: [9] },
      { number: 5, name: 'B' },
      { number: 9, name: 'C', dependencies: [5] },
      { number: 2, name: 'D' },
    ]);
    expect(topologicalOrder(plan)).toEqual([2, 5, 9, 1]);
  });
});

describe('plans built in memory with phases and dependencies in any order (the exported API)', () => {
  it.each([1, 2, 3, 4, 5])('random plan %i: same levels and groups as the sorted plan, Kahn order lowest ready first', (seed) => {
    const sorted = parsePlan(JSON.stringify(randomPlanDocument(mulberry32(seed), 40)), 'phases.json');
    const plan = scrambled(sorted, seed);
    expect(plan.phases.map((p) => p.number)).not.toEqual(sorted.phases.map((p) => p.number));
    expect(topologicalOrder(plan)).toEqual(kahnByDefinition(sorted));
    expect([...computeLevels(plan)]).toEqual([...computeLevels(sorted)]);
    expect([...computeLevels(plan).keys()]).toEqual(sorted.phases.map((p) => p.number));
    expect(groupByLevel(plan).map((group) => group.map((p) => p.number))).toEqual(groupByLevel(sorted).map((group) => group.map((p) => p.number)));
  });

  it('takes twenty independent phases listed in any order lowest number first', () => {
    const sorted = makePlan(Array.from({ length: 20 }, (_, i) => ({ number: i + 1 })));
    for (const seed of [1, 2, 3]) {
      expect(topologicalOrder(scrambled(sorted, seed))).toEqual(sorted.phases.map((p) => p.number));
      expect(groupByLevel(scrambled(sorted, seed)).map((group) => group.map((p) => p.number))).toEqual([sorted.phases.map((p) => p.number)]);
    }
  });
});

describe('graph functions on invalid in-memory plans', () => {
  const valid = makePlan([{ number: 1 }, { number: 2, dependencies: [1] }, { number: 3, dependencies: [2] }]);

  function withDependencies(dependencies: Record<number, number[]>): PhasePlan {
    const plan = structuredClone(valid);
    for (const phase of plan.phases) phase.dependencies = dependencies[phase.number] ?? phase.dependencies;
    return plan;
  }

  it('rejects a cycle instead of dropping phases', () => {
    const plan = withDependencies({ 1: [3] });
    expect(() => computeLevels(plan)).toThrow(PlanError);
    expect(() => topologicalOrder(plan)).toThrow('(in-memory plan): phases[0].dependencies[0]: Dependency cycle: 1 depends on 3, 3 depends on 2 and 2 depends on 1');
  });

  it('rejects unknown dependencies and self-dependencies', () => {
    expect(() => groupByLevel(withDependencies({ 2: [8] }))).toThrow('phases[1].dependencies[0]: Phase 2 (P2) depends on phase 8');
    expect(() => groupByLevel(withDependencies({ 2: [2] }))).toThrow('phases[1].dependencies[0]: Phase 2 (P2) depends on itself.');
  });

  it('rejects duplicate phase numbers', () => {
    const plan = structuredClone(valid);
    plan.phases[2].number = 1;
    expect(() => computeLevels(plan)).toThrow('phases[2].number: Phase number 1 is already used by phases[0].');
  });

  it('rejects two phases with the same number and no dependencies (nothing else would stop them)', () => {
    const plan = makePlan([{ number: 1 }, { number: 2 }]);
    plan.phases[1].number = 1;
    expect(() => topologicalOrder(plan)).toThrow('phases[1].number: Phase number 1 is already used by phases[0].');
  });
});
