import type { MergeStrategy } from '../types';
import { writeJson } from './json-text';
import { contributorLabel, type Contributor, type ForbiddenEdit } from './types';

/**
 * A phase's version of a mergeable file did more than add entries (a removal, a changed value, an edit outside
 * a region) or cannot be read with the file's strategy. Lists every such edit; the runtime names the phase.
 */
export class ForbiddenEditError extends Error {
  constructor(
    readonly file: string,
    readonly strategy: MergeStrategy,
    readonly edits: ForbiddenEdit[],
  ) {
    super(
      [
        `${file} is merged (strategy "${strategy}"): a phase may only add entries to it, but this version`,
        ...edits.map((edit) => `  - ${edit.entry}: ${edit.message}`),
        `Fix: keep every entry the phase was given unchanged and only add new ones (${STRATEGY_RULES[strategy]}); ` +
          'to change an entry, change the phase that added it.',
      ].join('\n'),
    );
    this.name = 'ForbiddenEditError';
  }
}

/** What "only add" means for each strategy, for error messages. */
const STRATEGY_RULES: Record<MergeStrategy, string> = {
  json: 'new keys, new objects, new items in arrays of plain values',
  lines: 'new lines',
  regions: 'new lines between a "nx-phases:region <name>" marker and its "nx-phases:end <name>"; the text outside the regions is the creating phase\'s',
};

/** One side of a merge conflict: the phase and the value it gives the entry. */
export interface ConflictSide {
  by: Contributor;
  value: string;
}

/**
 * Two phases give the same entry of a mergeable file different values (or one phase's entry needs a shape the
 * other's rules out). Names the file, the entry, both phases and the fix; the merge writes nothing.
 */
export class MergeConflictError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string,
    readonly first: ConflictSide,
    readonly second: ConflictSide,
  ) {
    const [a, b] = [first.by, second.by];
    super(
      `Merge conflict in ${file} at ${entry}: ${contributorLabel(a)} gives it ${first.value}, ` +
        `${contributorLabel(b)} gives it ${second.value}.\n` +
        `Fix: change one of the two phases so that they agree — use another key (or entry) in one of them, or make ` +
        `phase ${b.number} depend on phase ${a.number} so that it sees ${first.value} and keeps it.`,
    );
    this.name = 'MergeConflictError';
  }
}

/** A recorded contribution that cannot be merged: malformed, or not matching the file it claims to extend. */
export class ContributionError extends Error {
  constructor(
    readonly file: string,
    readonly by: Contributor | undefined,
    problem: string,
  ) {
    super(
      `${by ? `The contribution of ${contributorLabel(by)} to` : 'A contribution to'} ${file} cannot be merged: ${problem} ` +
        `Fix: re-run ${by ? `phase ${by.number}` : 'the phases that plan it'} with --skip-nx-cache.`,
    );
    this.name = 'ContributionError';
  }
}

/** A value shown in a message: JSON (number literals as written), cut to 60 characters. */
export function shownValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : writeJson(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
