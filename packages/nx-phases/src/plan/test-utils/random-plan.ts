import type { PhaseDocument, PlanDocument } from '../types';
import { randomInt, sample } from './prng';

/** A small pool of files, so that random phases often plan the same file. */
export const SMALL_FILE_POOL = [
  'src/App.tsx',
  'src/routes.tsx',
  'src/lib/db.ts',
  'src/types/models.ts',
  'src/styles/global.css',
  'src/api/client.ts',
  'src/components/header.tsx',
  'src/pages/home.tsx',
];

/**
 * A random valid plan document: phase numbers are a shuffled subset of 1..3n (so sorting is exercised),
 * each phase depends on 0–3 earlier phases (a DAG) listed in random order with occasional duplicates,
 * and plans 0–3 files from `SMALL_FILE_POOL`.
 */
export function randomPlanDocument(random: () => number, phaseCount: number): PlanDocument {
  const numbers = sample(random, Array.from({ length: phaseCount * 3 }, (_, i) => i + 1), phaseCount);
  shuffle(random, numbers);
  const phases: PhaseDocument[] = numbers.map((number, index) => {
    const earlier = numbers.slice(0, index);
    const dependencies = sample(random, earlier, randomInt(random, 0, 3));
    if (dependencies.length > 0 && random() < 0.1) dependencies.push(dependencies[0]);
    shuffle(random, dependencies);
    const plannedFiles = sample(random, SMALL_FILE_POOL, randomInt(random, 0, 3));
    return { number, name: `Phase ${number}`, domain: 'feature', dependencies, plannedFiles };
  });
  shuffle(random, phases);
  return { name: 'random', phases };
}

/** Shuffles an array in place (Fisher–Yates). */
export function shuffle<T>(random: () => number, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, 0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}
