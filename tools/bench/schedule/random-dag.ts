import { randomInt, seededRandom } from './random';

/** A phase of a generated plan: number, name and dependencies (files and generator are added later). */
export interface DagPhase {
  number: number;
  name: string;
  dependencies: number[];
}

/**
 * A layered random DAG shaped like a real app plan: a Setup root, about 1.2·√n middle levels with at least
 * one phase each (so n = 20, 50, 100 gives widths of about 4, 6 and 8), every middle phase depending on one
 * phase of the level just above plus up to two earlier ones, and a Polish phase depending on every sink.
 */
export function randomDag(count: number, seed: number): DagPhase[] {
  if (count < 3) throw new RangeError(`A random plan needs at least 3 phases (Setup, one feature, Polish); got ${count}.`);
  const random = seededRandom(seed);
  const levels = middleLevels(count - 2, Math.max(2, Math.round(1.2 * Math.sqrt(count))), random);
  const phases: DagPhase[] = [{ number: 1, name: 'Setup', dependencies: [] }];
  const byLevel: number[][] = [[1]];
  for (const size of levels) {
    const above = byLevel[byLevel.length - 1];
    const earlier = byLevel.flat();
    const level: number[] = [];
    for (let i = 0; i < size; i++) {
      const number = phases.length + 1;
      const dependencies = new Set([above[randomInt(random, 0, above.length - 1)]]);
      for (let extra = randomInt(random, 0, 2); extra > 0; extra--) dependencies.add(earlier[randomInt(random, 0, earlier.length - 1)]);
      phases.push({ number, name: `Feature ${number}`, dependencies: [...dependencies].sort((a, b) => a - b) });
      level.push(number);
    }
    byLevel.push(level);
  }
  const dependedOn = new Set(phases.flatMap((phase) => phase.dependencies));
  phases.push({ number: phases.length + 1, name: 'Polish', dependencies: phases.filter((p) => !dependedOn.has(p.number)).map((p) => p.number) });
  return phases;
}

/** Splits `count` phases over `levels` levels, each getting at least one. */
function middleLevels(count: number, levels: number, random: () => number): number[] {
  const used = Math.min(levels, count);
  const sizes = new Array<number>(used).fill(1);
  for (let i = used; i < count; i++) sizes[randomInt(random, 0, used - 1)]++;
  return sizes;
}
