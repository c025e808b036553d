import type { MergeStrategy } from '../types';
import { ContributionError, shownValue } from './errors';
import { extractJsonContribution, mergeJsonContributions } from './json-strategy';
import { isJsonScalar } from './json-values';
import { extractLinesContribution, mergeLinesContributions } from './lines-strategy';
import { REGION_NAME, regionLineProblem } from './regions-format';
import { extractRegionsContribution, mergeRegionsContributions } from './regions-strategy';
import type { Contribution, Contributor, JsonEntry, RecordedContribution } from './types';

/**
 * What a phase added to a mergeable file: compares its `version` with `base`, the merged file its snapshot held
 * (undefined when it had none). Throws `ForbiddenEditError` naming the file and each entry it removed or changed.
 */
export function extractContribution(file: string, strategy: MergeStrategy, base: string | undefined, version: string): Contribution {
  switch (strategy) {
    case 'json':
      return extractJsonContribution(file, base, version);
    case 'lines':
      return extractLinesContribution(file, base, version);
    case 'regions':
      return extractRegionsContribution(file, base, version);
  }
}

/**
 * The merged text of a file from every recorded contribution, the same whatever order they are given in (they are
 * folded in phase-number order); undefined when there are none. Throws `MergeConflictError` for the same entry
 * with two values, `ContributionError` for a contribution of another strategy or one that cannot apply.
 */
export function mergeContributions(file: string, strategy: MergeStrategy, recorded: readonly RecordedContribution[]): string | undefined {
  if (recorded.length === 0) return undefined;
  const numbers = new Set<number>();
  for (const { by, contribution } of recorded) {
    if (contribution.strategy !== strategy) {
      throw new ContributionError(file, by, `it was recorded for strategy "${contribution.strategy}", but the plan merges the file as "${strategy}".`);
    }
    if (numbers.has(by.number)) throw new ContributionError(file, by, 'the phase has two contributions to it.');
    numbers.add(by.number);
  }
  switch (strategy) {
    case 'json':
      return mergeJsonContributions(file, recorded);
    case 'lines':
      return mergeLinesContributions(file, recorded);
    case 'regions':
      return mergeRegionsContributions(file, recorded);
  }
}

/**
 * Checks a contribution read from a record (untrusted: it may come from a shared cache) and returns it typed.
 * Throws `ContributionError` describing the first thing wrong with its shape.
 */
export function readContribution(file: string, by: Contributor, value: unknown): Contribution {
  const fail = (problem: string): never => {
    throw new ContributionError(file, by, `its record is malformed (${problem}).`);
  };
  if (!isRecord(value)) return fail('not an object');
  switch (value.strategy) {
    case 'json': {
      if (!Array.isArray(value.entries)) return fail('"entries" is not a list');
      value.entries.forEach((entry, index) => checkJsonEntry(entry) || fail(`entries[${index}] is not a valid entry`));
      return { strategy: 'json', entries: value.entries as JsonEntry[] };
    }
    case 'lines':
      if (!isLineList(value.lines)) return fail('"lines" is not a list of one-line strings');
      return { strategy: 'lines', lines: value.lines };
    case 'regions': {
      if (value.skeleton !== undefined && typeof value.skeleton !== 'string') return fail('"skeleton" is not a string');
      if (!Array.isArray(value.regions)) return fail('"regions" is not a list');
      for (const region of value.regions) {
        if (!isRecord(region) || typeof region.name !== 'string' || !REGION_NAME.test(region.name) || !isLineList(region.lines)) {
          return fail('"regions" holds an entry that is not { name, lines }');
        }
        for (const line of region.lines) {
          const problem = regionLineProblem(line);
          if (problem) return fail(`region "${region.name}" holds the line ${shownValue(line)}: ${problem}`);
        }
      }
      const regions = (value.regions as Array<{ name: string; lines: string[] }>).map(({ name, lines }) => ({ name, lines }));
      return { strategy: 'regions', ...(value.skeleton === undefined ? {} : { skeleton: value.skeleton as string }), regions };
    }
    default:
      return fail(`unknown strategy ${JSON.stringify(value.strategy)}`);
  }
}

function checkJsonEntry(entry: unknown): boolean {
  if (!isRecord(entry) || !Array.isArray(entry.path) || entry.path.length === 0) return false;
  if (!entry.path.every((key) => typeof key === 'string')) return false;
  if (entry.op === 'object') return true;
  if (entry.op === 'set') return entry.value !== undefined && isJsonValue(entry.value);
  return entry.op === 'union' && Array.isArray(entry.values) && entry.values.every(isJsonScalar);
}

function isJsonValue(value: unknown): boolean {
  if (isJsonScalar(value)) return typeof value !== 'number' || Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isRecord(value) && Object.values(value).every(isJsonValue);
}

function isLineList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((line) => typeof line === 'string' && !/[\r\n]/.test(line));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
