import type { PhasePlan } from '../types';
import { mulberry32 } from './prng';
import { shuffle } from './random-plan';

/**
 * A copy of a parsed plan with its phases and each phase's dependencies listed in a seeded random order, as a caller
 * of the exported plan API may build one in memory (parsePlan sorts both; these functions must not rely on it).
 */
export function scrambled(plan: PhasePlan, seed: number): PhasePlan {
  const random = mulberry32(seed);
  const copy = structuredClone(plan);
  shuffle(random, copy.phases);
  for (const phase of copy.phases) shuffle(random, phase.dependencies);
  return copy;
}
