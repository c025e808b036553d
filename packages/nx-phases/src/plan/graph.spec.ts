import { PlanError, computeLevels, groupByLevel, topologicalOrder } from './index';
import type { PhasePlan } from './index';
import { makePlan } from './test-utils/make-plan';

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
});
