import type { GeneratorSpec, PlanDocument } from './plan-file';

/**
 * The 8-phase plan of the schedule-independence tests (context `docs/spec.md`): phase 2 MODIFIES src/shared.ts
 * (written by 1) while the concurrent phases 3 and 5 READ it; phase 7 modifies it again.
 */
export function schedulePlan(name: string, generator: GeneratorSpec): PlanDocument {
  return {
    name,
    generator,
    context: ['docs/spec.md'],
    phases: [
      { number: 1, name: 'Setup', features: ['Shell'], plannedFiles: ['src/shared.ts', 'src/app.ts'] },
      { number: 2, name: 'Modify Shared', features: ['Extend shared'], dependencies: [1], plannedFiles: ['src/shared.ts', 'src/two.ts'] },
      { number: 3, name: 'Read Shared', features: ['Use shared'], dependencies: [1], plannedFiles: ['src/three.ts'] },
      { number: 4, name: 'Join', features: ['Join'], dependencies: [2, 3], plannedFiles: ['src/four.ts'] },
      { number: 5, name: 'Other', features: ['Other'], dependencies: [1], plannedFiles: ['src/five.ts'] },
      { number: 6, name: 'Six', features: ['Six'], dependencies: [3, 5], plannedFiles: ['src/six.ts'] },
      { number: 7, name: 'Modify Again', features: ['Extend again'], dependencies: [2], plannedFiles: ['src/shared.ts', 'src/seven.ts'] },
      { number: 8, name: 'Final', features: ['Final'], dependencies: [4, 6, 7], plannedFiles: ['src/eight.ts'] },
    ],
  };
}
