import {
  computeLevels,
  createReachability,
  findConflicts,
  parsePlan,
  resolveConflicts,
  topologicalOrder,
} from './index';
import { mulberry32, randomInt } from './test-utils/prng';
import { randomPlanDocument, SMALL_FILE_POOL } from './test-utils/random-plan';

const PLAN_COUNT = 200;

/** 200 seeded random plans of 2–60 phases, as JSON text (phases in random order, numbers with gaps). */
const planTexts: string[] = (() => {
  const random = mulberry32(20240601);
  return Array.from({ length: PLAN_COUNT }, () => JSON.stringify(randomPlanDocument(random, randomInt(random, 2, 60))));
})();

/** Freezes a value and everything it holds, so any mutation throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe.each(planTexts.map((text, index) => [index, text]))('random plan #%i', (_index, text) => {
  const plan = parsePlan(text as string, 'phases.json');

  it('assigns every phase a level deeper than each of its dependencies', () => {
    const levels = computeLevels(plan);
    const violations = plan.phases.flatMap((phase) => {
      const level = levels.get(phase.number)!;
      const deepest = Math.max(0, ...phase.dependencies.map((d) => levels.get(d)!));
      return level === deepest + 1 ? [] : [`phase ${phase.number} is on level ${level}, deepest dependency on ${deepest}`];
    });
    expect(levels.size).toBe(plan.phases.length);
    expect(violations).toEqual([]);
  });

  it('resolves every conflict without a cycle, without mutating its input, adding only needed edges', () => {
    const original = createReachability(plan);
    const frozen = deepFreeze(structuredClone(plan));
    const before = JSON.stringify(frozen);
    const resolved = resolveConflicts(frozen);
    const plannedBy = new Map(resolved.phases.map((phase) => [phase.number, new Set(phase.plannedFiles)]));
    const badEdges = resolved.addedEdges.filter(
      (edge) =>
        !original.canRunConcurrently(edge.from, edge.to) ||
        edge.from >= edge.to ||
        !plannedBy.get(edge.from)!.has(edge.file) ||
        !plannedBy.get(edge.to)!.has(edge.file),
    );
    const unsorted = resolved.phases.filter(
      (phase) => JSON.stringify(phase.dependencies) !== JSON.stringify([...new Set(phase.dependencies)].sort((a, b) => a - b)),
    );

    expect(JSON.stringify(frozen)).toBe(before);
    expect(findConflicts(resolved)).toEqual([]);
    expect([...topologicalOrder(resolved)].sort((a, b) => a - b)).toEqual(plan.phases.map((p) => p.number));
    expect(badEdges).toEqual([]);
    expect(new Set(resolved.addedEdges.map((edge) => `${edge.from}-${edge.to}`)).size).toBe(resolved.addedEdges.length);
    expect(unsorted).toEqual([]);
    if (findConflicts(plan).length === 0) expect(resolved.addedEdges).toEqual([]);
  });

  it('produces an identical result over 3 runs', () => {
    const runs = [0, 1, 2].map(() => JSON.stringify(resolveConflicts(parsePlan(text as string, 'phases.json'))));
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
  });
});

it('exercises conflicts: most random plans have at least one', () => {
  const withConflicts = planTexts.filter((text) => findConflicts(parsePlan(text, 'phases.json')).length > 0);
  expect(withConflicts.length).toBeGreaterThan(PLAN_COUNT / 2);
});

it('draws files from a pool without case-only or file/folder collisions, so every random plan stays valid', () => {
  const lower = SMALL_FILE_POOL.map((file) => file.toLowerCase());
  const folders = new Set(lower.flatMap((file) => file.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  expect(new Set(lower).size).toBe(SMALL_FILE_POOL.length);
  expect(lower.filter((file) => folders.has(file))).toEqual([]);
});
