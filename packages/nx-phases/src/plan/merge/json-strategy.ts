import { JsonDepthError } from '../json-depth';
import { ForbiddenEditError, MergeConflictError, shownValue } from './errors';
import { JsonNumber, numberLiteralProblem } from './json-number';
import { parseJsonLossless, writeJson } from './json-text';
import {
  cloneJson,
  emptyJsonObject,
  hasKey,
  isJsonObject,
  isScalarArray,
  jsonEqual,
  keyPathText,
  scalarKey,
  uniqueScalars,
  type JsonObject,
} from './json-values';
import type { Contributor, ForbiddenEdit, JsonContribution, JsonEntry, JsonValue, RecordedContribution } from './types';

/**
 * What a phase added to a JSON file: every key its version has that `base` (the merged file it was given, or
 * undefined when there was none) lacks, recursively, and the new items of arrays of plain values. A removed key
 * or item, or a changed value, is a forbidden edit; so is a version that is not a JSON object.
 */
export function extractJsonContribution(file: string, base: string | undefined, version: string): JsonContribution {
  const baseObject = base === undefined ? emptyJsonObject() : parseObject(file, base, 'the merged file it was given');
  const versionObject = parseObject(file, version, 'its version');
  const entries: JsonEntry[] = [];
  const edits: ForbiddenEdit[] = [];
  compareObjects(baseObject, versionObject, [], entries, edits);
  if (edits.length > 0) throw new ForbiddenEditError(file, 'json', edits);
  return { strategy: 'json', entries };
}

/**
 * Merges contributions into one JSON text (two-space indent, final newline), folding them in phase-number order:
 * keys appear in the order they were first added, arrays of plain values are unions. The same key with two
 * different values (or an object in one phase where another has a value) throws `MergeConflictError`.
 */
export function mergeJsonContributions(file: string, recorded: readonly RecordedContribution[]): string {
  const merger = new JsonMerger(file);
  for (const { by, contribution } of [...recorded].sort((a, b) => a.by.number - b.by.number)) {
    for (const entry of (contribution as JsonContribution).entries) merger.apply(entry, by);
  }
  return `${writeJson(merger.root, '  ')}\n`;
}

/**
 * Parses JSON text that must hold an object, keeping number literals; a forbidden edit otherwise (bad JSON,
 * nesting beyond MAX_JSON_DEPTH, or a number that breaks the one rule of `numberLiteralProblem`).
 */
function parseObject(file: string, text: string, what: string): JsonObject {
  let value: JsonValue;
  try {
    value = parseJsonLossless(text);
  } catch (error) {
    const problem = error instanceof JsonDepthError ? error.message.replace(/\.$/, '') : `it is not valid JSON (${(error as Error).message})`;
    throw new ForbiddenEditError(file, 'json', [{ entry: '(root)', message: `${what} cannot be read: ${problem}.` }]);
  }
  if (!isJsonObject(value)) {
    throw new ForbiddenEditError(file, 'json', [{ entry: '(root)', message: `${what} is ${shownValue(value)}, not a JSON object.` }]);
  }
  const edits: ForbiddenEdit[] = [];
  collectNumberProblems(value, [], edits);
  if (edits.length > 0) throw new ForbiddenEditError(file, 'json', edits);
  return value;
}

/** A forbidden edit for every number literal under `value` that breaks the number rule (depth is bounded by the parse). */
function collectNumberProblems(value: JsonValue, path: string[], edits: ForbiddenEdit[], index = ''): void {
  if (value instanceof JsonNumber) {
    const problem = numberLiteralProblem(value.literal);
    if (problem) edits.push({ entry: `${keyPathText(path)}${index}`, message: `${problem}.` });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collectNumberProblems(item, path, edits, `${index}[${i}]`));
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) collectNumberProblems(value[key], [...path, key], edits);
  }
}

function compareObjects(base: JsonObject, version: JsonObject, path: string[], entries: JsonEntry[], edits: ForbiddenEdit[]): void {
  for (const key of Object.keys(version)) {
    const keyPath = [...path, key];
    if (hasKey(base, key)) compareValues(base[key], version[key], keyPath, entries, edits);
    else addedValue(version[key], keyPath, entries);
  }
  for (const key of Object.keys(base)) {
    if (!hasKey(version, key)) edits.push({ entry: keyPathText([...path, key]), message: `removed (it was ${shownValue(base[key])}).` });
  }
}

function compareValues(base: JsonValue, version: JsonValue, path: string[], entries: JsonEntry[], edits: ForbiddenEdit[]): void {
  if (isJsonObject(base) && isJsonObject(version)) {
    compareObjects(base, version, path, entries, edits);
  } else if (isScalarArray(base) && isScalarArray(version)) {
    const kept = new Set(version.map(scalarKey));
    const given = new Set(base.map(scalarKey));
    for (const value of base) {
      if (!kept.has(scalarKey(value))) edits.push({ entry: keyPathText(path), message: `removed the item ${shownValue(value)}.` });
    }
    const added = uniqueScalars(version.filter((value) => !given.has(scalarKey(value))));
    if (added.length > 0) entries.push({ op: 'union', path, values: added });
  } else if (!jsonEqual(base, version)) {
    edits.push({ entry: keyPathText(path), message: `changed from ${shownValue(base)} to ${shownValue(version)}.` });
  }
}

/** The entries that add `value` at `path`: objects key by key, arrays of plain values as unions. */
function addedValue(value: JsonValue, path: string[], entries: JsonEntry[]): void {
  if (isJsonObject(value)) {
    entries.push({ op: 'object', path });
    for (const key of Object.keys(value)) addedValue(value[key], [...path, key], entries);
  } else if (isScalarArray(value)) {
    entries.push({ op: 'union', path, values: uniqueScalars(value) });
  } else {
    entries.push({ op: 'set', path, value });
  }
}

/** Folds JSON entries into one object, remembering which phase added each key for conflict messages. */
class JsonMerger {
  readonly root = emptyJsonObject();
  private readonly owners = new Map<string, Contributor>();

  constructor(private readonly file: string) {}

  apply(entry: JsonEntry, by: Contributor): void {
    const parent = this.parentOf(entry.path, by);
    const key = entry.path[entry.path.length - 1];
    const existing = hasKey(parent, key) ? parent[key] : undefined;
    if (existing === undefined) {
      parent[key] = entry.op === 'object' ? emptyJsonObject() : entry.op === 'set' ? cloneJson(entry.value) : uniqueScalars(entry.values);
      this.owners.set(JSON.stringify(entry.path), by);
    } else if (entry.op === 'object') {
      if (!isJsonObject(existing)) this.conflict(entry.path, existing, 'an object', by);
    } else if (entry.op === 'set') {
      if (!jsonEqual(existing, entry.value)) this.conflict(entry.path, existing, shownValue(entry.value), by);
    } else if (isScalarArray(existing)) {
      const present = new Set(existing.map(scalarKey));
      existing.push(...uniqueScalars(entry.values).filter((value) => !present.has(scalarKey(value))));
    } else {
      this.conflict(entry.path, existing, `a list of ${shownValue(entry.values)}`, by);
    }
  }

  /** The object that holds the last key of `path`, creating missing objects on the way. */
  private parentOf(path: string[], by: Contributor): JsonObject {
    let node = this.root;
    for (let depth = 0; depth < path.length - 1; depth++) {
      const key = path[depth];
      if (!hasKey(node, key)) {
        node[key] = emptyJsonObject();
        this.owners.set(JSON.stringify(path.slice(0, depth + 1)), by);
      }
      const next = node[key];
      if (!isJsonObject(next)) this.conflict(path.slice(0, depth + 1), next, 'an object', by);
      node = next as JsonObject;
    }
    return node;
  }

  private conflict(path: string[], existing: JsonValue, wanted: string, by: Contributor): never {
    const owner = this.owners.get(JSON.stringify(path)) ?? by;
    const shown = isJsonObject(existing) ? 'an object' : Array.isArray(existing) ? `the list ${shownValue(existing)}` : shownValue(existing);
    throw new MergeConflictError(this.file, keyPathText(path), { by: owner, value: shown }, { by, value: wanted });
  }
}
