import { ForbiddenEditError } from '../errors';
import type { Contribution, RecordedContribution } from '../types';

/** `{ by: { number, name: "P<n>" }, contribution }`. */
export function recorded(number: number, contribution: Contribution): RecordedContribution {
  return { by: { number, name: `P${number}` }, contribution };
}

/** The ForbiddenEditError a call throws (fails the test when it throws something else or nothing). */
export function forbiddenEdit(call: () => unknown): ForbiddenEditError {
  try {
    call();
  } catch (error) {
    if (error instanceof ForbiddenEditError) return error;
    throw error;
  }
  throw new Error('expected a ForbiddenEditError');
}

/** Every ordering of a short list (for "the result does not depend on the order" checks). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
