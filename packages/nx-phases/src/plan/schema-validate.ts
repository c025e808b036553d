import type { ErrorObject, ValidateFunction } from 'ajv';
import { join } from 'node:path';
import type { PlanProblem } from './errors';
import { childPath, pointerToPath } from './json-path';

/** Absolute path of the plan's JSON Schema shipped with the package. */
export const PHASES_SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'phases.schema.json');

/** A problem before the file name is attached. */
export type Finding = Omit<PlanProblem, 'file'>;

/** Hints for the schema's `pattern` rules, keyed by the pattern text. */
export const PATTERN_HINTS: Record<string, string> = {
  '^[a-z][a-z0-9-]*$': 'Use lowercase letters, digits and hyphens, starting with a letter, e.g. "my-shop".',
  '^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*:[A-Za-z0-9][A-Za-z0-9._-]*$':
    'Use "<package>:<generator>", e.g. "nx-phases:scaffold" or "@my-org/tools:phase".',
};

const TYPE_HINTS: Record<string, string> = {
  integer: 'Write a whole number without quotes, e.g. 3.',
  number: 'Write a number without quotes, e.g. 100.',
  string: 'Write the value in double quotes.',
  boolean: 'Write true or false without quotes.',
  array: 'Write a JSON array, e.g. ["a", "b"].',
  object: 'Write a JSON object, e.g. { "key": "value" }.',
  'string,object': 'Write "<package>:<generator>" or { "use": "<package>:<generator>", "options": {} }.',
};

let compiled: ValidateFunction | undefined;

/** Validates parsed JSON against `schemas/phases.schema.json` and returns one finding per violation. */
export function validateAgainstSchema(data: unknown): Finding[] {
  const validate = getValidator();
  if (validate(data)) return [];
  return (validate.errors ?? []).filter((error) => error.keyword !== 'if').map(toFinding);
}

/** Loads the validator precompiled from the schema by tools/generate-plan-validator.ts (all errors, with data). */
function getValidator(): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  compiled ??= require('./generated/plan-validator.js') as ValidateFunction;
  return compiled;
}

/** Turns one ajv error into a finding with a JSON path, a plain message and a hint. */
function toFinding(error: ErrorObject): Finding {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const expected = ([] as string[]).concat(params.type as string | string[]);
      return {
        path,
        message: `Expected ${expected.map(withArticle).join(' or ')}, got ${describeValue(error.data)}.`,
        hint: TYPE_HINTS[expected.join(',')] ?? `Change the value to ${expected.join(' or ')}.`,
      };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const description = propertyDescription(error.parentSchema, key);
      return {
        path: childPath(path, key),
        message: `Required field "${key}" is missing.`,
        hint: `Add "${key}"${description ? ` (${description})` : ''}.`,
      };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = closestName(key, allowed);
      return {
        path: childPath(path, key),
        message: `Unknown field "${key}".`,
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : 'Remove it. '}Allowed fields: ${allowed.join(', ')}.`,
      };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      return {
        path,
        message: `${JSON.stringify(error.data)} does not match the pattern ${pattern}.`,
        hint: PATTERN_HINTS[pattern] ?? `Change the value to match ${pattern}.`,
      };
    }
    case 'minimum':
      return {
        path,
        message: `Must be at least ${params.limit}, got ${describeValue(error.data)}.`,
        hint: `Use a value of ${params.limit} or more.`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === 'string' ? closestName(error.data, allowed) : undefined;
      const what = /^merge[.[]/.test(path) ? 'Unknown merge strategy' : 'Unknown value';
      return {
        path,
        message: `${what} ${JSON.stringify(error.data)}.`,
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Use one of: ${allowed.map((value) => JSON.stringify(value)).join(', ')}.`,
      };
    }
    case 'minLength':
      return { path, message: 'Must not be empty.', hint: 'Write a non-empty value or remove the entry.' };
    default:
      return {
        path,
        message: `Schema rule "${error.keyword}" failed: ${error.message ?? 'invalid value'}.`,
        hint: 'Compare the value with schemas/phases.schema.json.',
      };
  }
}

/** The schema `description` of a property, without a trailing period, if any. */
function propertyDescription(schema: unknown, key: string): string | undefined {
  const properties = (schema as { properties?: Record<string, { description?: string }> } | undefined)?.properties;
  return properties?.[key]?.description?.replace(/\.$/, '');
}

/** "integer" → "an integer", "string" → "a string". */
function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Describes a JSON value for an error message, e.g. `the string "3"` or `an array`. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

/** The allowed name closest to `name` (edit distance ≤ 2 or a case-insensitive prefix match), if any. */
function closestName(name: string, allowed: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const other = candidate.toLowerCase();
    const isPrefix = lower.length >= 3 && (other.startsWith(lower) || lower.startsWith(other));
    const distance = isPrefix ? 1 : editDistance(lower, other);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Levenshtein distance between two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
