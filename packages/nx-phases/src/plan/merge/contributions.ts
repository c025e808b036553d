import type { MergeStrategy } from '../types';
import { ContributionError, shownValue } from './errors';
import { extractJsonContribution, mergeJsonContributions } from './json-strategy';
import { MAX_JSON_DEPTH } from '../json-depth';
import { JsonNumber, numberLiteralProblem } from './json-number';
import { emptyJsonObject, isJsonScalar } from './json-values';
import { extractLinesContribution, mergeLinesContributions } from './lines-strategy';
import { REGION_NAME, regionLineProblem } from './regions-format';
import { extractRegionsContribution, mergeRegionsContributions } from './regions-strategy';
import type { Contribution, Contributor, JsonEntry, JsonScalar, JsonValue, RecordedContribution } from './types';

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
      const entries = value.entries.map((entry, index) => {
        const read = readJsonEntry(entry);
        return typeof read === 'string' ? fail(`entries[${index}] ${read}`) : read;
      });
      return { strategy: 'json', entries };
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

/**
 * A json entry read from a record, with its numbers as literals, or why it is not valid: a key path of strings, a
 * value whose numbers follow `numberLiteralProblem`'s rule, and no deeper than MAX_JSON_DEPTH counting the path.
 */
function readJsonEntry(entry: unknown): JsonEntry | string {
  if (!isRecord(entry) || !Array.isArray(entry.path) || entry.path.length === 0 || !entry.path.every((key) => typeof key === 'string')) {
    return 'is not a valid entry';
  }
  const path = entry.path as string[];
  if (entry.op === 'object') return path.length + 1 > MAX_JSON_DEPTH ? tooDeep() : { op: 'object', path };
  if (entry.op === 'set') {
    if (path.length > MAX_JSON_DEPTH) return tooDeep();
    const value = readJsonValue(entry.value, path.length);
    return typeof value === 'string' ? value : { op: 'set', path, value: value.value };
  }
  if (entry.op !== 'union' || !Array.isArray(entry.values)) return 'is not a valid entry';
  if (path.length + 1 > MAX_JSON_DEPTH) return tooDeep();
  const values: JsonScalar[] = [];
  for (const item of entry.values) {
    const read = readJsonValue(item, path.length + 1);
    if (typeof read === 'string') return read;
    if (!isJsonScalar(read.value)) return 'is not a valid entry (a union holds only strings, numbers, booleans and null)';
    values.push(read.value);
  }
  return { op: 'union', path, values };
}

/**
 * A JSON value read from a record (numbers as literals, objects without a prototype), or why it is not valid.
 * `depth` counts the objects and arrays around it in the merged file (the root object is the first).
 */
function readJsonValue(value: unknown, depth: number): { value: JsonValue } | string {
  if (typeof value === 'object' && value !== null && !(value instanceof JsonNumber) && depth + 1 > MAX_JSON_DEPTH) return tooDeep();
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return { value };
  if (typeof value === 'number' || value instanceof JsonNumber) {
    const literal = value instanceof JsonNumber ? value.literal : JSON.stringify(value) ?? String(value);
    const problem = typeof value === 'number' && !Number.isFinite(value) ? `the number ${value} is not finite` : numberLiteralProblem(literal);
    return problem ? `is not a valid entry (${problem})` : { value: new JsonNumber(literal) };
  }
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const read = readJsonValue(item, depth + 1);
      if (typeof read === 'string') return read;
      items.push(read.value);
    }
    return { value: items };
  }
  if (!isRecord(value)) return 'is not a valid entry';
  const object = emptyJsonObject();
  for (const key of Object.keys(value)) {
    const read = readJsonValue(value[key], depth + 1);
    if (typeof read === 'string') return read;
    object[key] = read.value;
  }
  return { value: object };
}

function tooDeep(): string {
  return `is not a valid entry (it nests more than ${MAX_JSON_DEPTH} levels deep, counting its key path)`;
}

function isLineList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((line) => typeof line === 'string' && !/[\r\n]/.test(line));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
