import type { ErrorObject, ValidateFunction } from 'ajv';
import { join } from 'node:path';
import type { PlanProblem } from './errors';
import { closestName } from './did-you-mean';
import { suggestGeneratorId } from './generator-options';
import { childPath, pointerToPath } from './json-path';

/** Absolute path of the plan's JSON Schema shipped with the package. */
export const PHASES_SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'phases.schema.json');

/** A problem before the file name is attached. */
export type Finding = Omit<PlanProblem, 'file'>;

/** The schema's pattern of a `"<package>:<generator>"` id. */
const GENERATOR_ID_PATTERN = '^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*:[A-Za-z0-9][A-Za-z0-9._-]*$';

/** Hints for the schemas' `pattern` rules, keyed by the pattern text. */
export const PATTERN_HINTS: Record<string, string> = {
  '^[a-z][a-z0-9-]*$': 'Use lowercase letters, digits and hyphens, starting with a letter, e.g. "my-shop".',
  [GENERATOR_ID_PATTERN]: 'Use "<package>:<generator>", e.g. "nx-phases:scaffold" or "@my-org/tools:phase".',
  '\\S': 'Write a shell command that is not blank.',
};

const TYPE_HINTS: Record<string, string> = {
  integer: 'Write a whole number without quotes, e.g. 3.',
  number: 'Write a number without quotes, e.g. 100.',
  string: 'Write the value in double quotes.',
  boolean: 'Write true or false without quotes.',
  array: 'Write a JSON array, e.g. ["a", "b"].',
  object: 'Write a JSON object, e.g. { "key": "value" }.',
  'string,object': 'Write "<package>:<generator>" or { "use": "<package>:<generator>", "options": {} }.',
  'boolean,object': 'Write true, false or an object such as { "network": false }.',
};

/** The only `const` of the plan schema: a phase's `check` may be false or an object, never true. */
const CHECK_CONST_HINT = 'Write false to run no check for this phase, or a check object such as { "command": "npm test" }; leave it out to use the plan\'s check.';

/** The validators precompiled by tools/generate-plan-validator.ts: the plan, and each built-in generator's plan options. */
type CompiledValidators = Record<'plan' | 'scaffold' | 'command' | 'openai', ValidateFunction>;

let compiled: CompiledValidators | undefined;

/** Validates parsed JSON against `schemas/phases.schema.json` and returns one finding per violation. */
export function validateAgainstSchema(data: unknown): Finding[] {
  return runValidator(getValidators().plan, data);
}

/** What a validated object is, for messages: the options of a generator (`owner`, e.g. "nx-phases:openai"). */
export interface ValidatedSubject {
  owner: string;
}

/**
 * Runs a precompiled validator and returns one finding per violation (paths relative to the validated value).
 * With a `subject`, the validated value's own keys are called options of `subject.owner`.
 */
export function runValidator(validate: ValidateFunction, data: unknown, subject?: ValidatedSubject): Finding[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).filter((error) => error.keyword !== 'if').map((error) => toFinding(error, subject));
}

/** Loads the validators precompiled from the schemas by tools/generate-plan-validator.ts (all errors, with data). */
export function getValidators(): CompiledValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  compiled ??= require('./generated/plan-validator.js') as CompiledValidators;
  return compiled;
}

/** Turns one ajv error into a finding with a JSON path, a plain message and a hint. */
function toFinding(error: ErrorObject, subject?: ValidatedSubject): Finding {
  const path = pointerToPath(error.instancePath);
  const owner = subject && error.instancePath === '' ? subject.owner : undefined;
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
        message: owner ? `Required option "${key}" of ${owner} is missing.` : `Required field "${key}" is missing.`,
        hint: `Add "${key}"${description ? ` (${description})` : ''}.`,
      };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = closestName(key, allowed);
      const noun = owner ? 'option' : 'field';
      if (owner && allowed.length === 0) {
        return { path: childPath(path, key), message: `Unknown option "${key}": ${owner} takes no options.`, hint: `Remove "${key}".` };
      }
      return {
        path: childPath(path, key),
        message: `Unknown ${noun} "${key}"${owner ? ` for ${owner}` : ''}.`,
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : 'Remove it. '}Allowed ${noun}s: ${allowed.join(', ')}.`,
      };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const generatorId = pattern === GENERATOR_ID_PATTERN && typeof error.data === 'string' ? suggestGeneratorId(error.data) : undefined;
      return {
        path,
        message: `${JSON.stringify(error.data)} does not match the pattern ${pattern}.`,
        hint: `${generatorId ? `Did you mean "${generatorId}"? ` : ''}${PATTERN_HINTS[pattern] ?? `Change the value to match ${pattern}.`}`,
      };
    }
    case 'minimum':
      return {
        path,
        message: `Must be at least ${params.limit}, got ${describeValue(error.data)}.`,
        hint: `Use a value of ${params.limit} or more.`,
      };
    case 'maximum':
      return {
        path,
        message: `Must be at most ${params.limit}, got ${describeValue(error.data)}.`,
        hint: `Use a value of ${params.limit} or less.`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === 'string' ? closestName(error.data, allowed) : undefined;
      const what = /^merge[.[]/.test(path) ? 'Unknown merge strategy' : /\.domain$/.test(path) ? 'Unknown domain' : 'Unknown value';
      return {
        path,
        message: `${what} ${JSON.stringify(error.data)}.`,
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Use one of: ${allowed.map((value) => JSON.stringify(value)).join(', ')}.`,
      };
    }
    case 'minLength':
      return { path, message: 'Must not be empty.', hint: 'Write a non-empty value or remove the entry.' };
    case 'const':
      return {
        path,
        message: `Must be ${JSON.stringify(params.allowedValue)}, got ${describeValue(error.data)}.`,
        hint: /(^|\.)check$/.test(path) ? CHECK_CONST_HINT : `Write ${JSON.stringify(params.allowedValue)}.`,
      };
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
