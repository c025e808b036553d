import { mulberry32, randomInt } from '../../../packages/nx-phases/src/plan/test-utils/prng';

/** A seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export const seededRandom = mulberry32;
export { randomInt };

/** Phase number → sleep in ms, uniform in [1 s, 4 s] times `scale`, rounded to 10 ms. */
export function seededDurations(numbers: number[], seed: number, scale: number): Map<number, number> {
  const random = seededRandom(seed);
  return new Map(numbers.map((number) => [number, Math.round((1000 + random() * 3000) * scale / 10) * 10]));
}
