import type { GeneratorSpec, PlanDocument } from './plan-file';

/** The demo shop's dependency graph (14 phases, 6 levels): phase number → its dependencies. */
const DEMO_EDGES: Record<number, number[]> = {
  1: [], 2: [1], 3: [1], 4: [2], 5: [2], 6: [2], 7: [3, 6], 8: [3], 9: [2, 3], 10: [2, 3], 11: [1], 12: [2], 13: [4, 7, 12], 14: [5, 8, 9, 10, 11, 13],
};

/**
 * A 14-phase plan shaped like the demo shop, for tests that count generator calls: every phase writes
 * `src/p<n>.ts`, and phases 1, 6 and 14 (a dependency chain) all write `src/routes.ts`, so later phases
 * modify a file earlier ones wrote. `overrides` replaces single phases' generators.
 */
export function fourteenPhasePlan(name: string, generator: GeneratorSpec, overrides: Record<number, GeneratorSpec> = {}): PlanDocument {
  return {
    name,
    generator,
    phases: Object.entries(DEMO_EDGES).map(([key, dependencies]) => {
      const number = Number(key);
      const shared = [1, 6, 14].includes(number) ? ['src/routes.ts'] : [];
      return {
        number,
        name: `Part ${number}`,
        features: [`Feature ${number}`],
        dependencies,
        plannedFiles: [`src/p${number}.ts`, ...shared],
        ...(overrides[number] ? { generator: overrides[number] } : {}),
      };
    }),
  };
}
