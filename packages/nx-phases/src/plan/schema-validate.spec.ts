import Ajv, { type ValidateFunction } from 'ajv';
import { PlanError, parsePlan } from './index';
import { runValidator } from './schema-validate';
import { PLAN_AJV_OPTIONS } from './validator-code';

const setup = { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['package.json'] };

/** Every problem of a plan as "path | message | hint" (the printed line without the file). */
function findings(plan: Record<string, unknown>): string[] {
  try {
    parsePlan(JSON.stringify({ name: 'shop', phases: [setup], ...plan }), 'apps/shop/phases.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as PlanError).problems.map((p) => `${p.path} | ${p.message} | ${p.hint}`);
  }
  throw new Error('expected parsePlan to throw');
}

describe('schema violations: the message and the fix a user reads', () => {
  it('names the expected type with its article, the value found, and how to write it', () => {
    expect(findings({ phases: [{ ...setup, number: true, name: 5, features: {}, dependencies: null, plannedFiles: 'a' }] })).toEqual([
      'phases[0].dependencies | Expected an array, got null. | Write a JSON array, e.g. ["a", "b"].',
      'phases[0].features | Expected an array, got an object. | Write a JSON array, e.g. ["a", "b"].',
      'phases[0].name | Expected a string, got the number 5. | Write the value in double quotes.',
      'phases[0].number | Expected an integer, got true. | Write a whole number without quotes, e.g. 3.',
      'phases[0].plannedFiles | Expected an array, got the string "a". | Write a JSON array, e.g. ["a", "b"].',
    ]);
    expect(findings({ parallel: 1, rateLimit: [], context: 'x', generator: 3, maxCostUsd: false, merge: [] })).toEqual([
      'context | Expected an array, got the string "x". | Write a JSON array, e.g. ["a", "b"].',
      'generator | Expected a string or an object, got the number 3. | Write "<package>:<generator>" or { "use": "<package>:<generator>", "options": {} }.',
      'maxCostUsd | Expected a number, got false. | Write a number without quotes, e.g. 100.',
      'merge | Expected an object, got an array. | Write a JSON object, e.g. { "key": "value" }.',
      'parallel | Expected a boolean, got the number 1. | Write true or false without quotes.',
      'rateLimit | Expected an object, got an array. | Write a JSON object, e.g. { "key": "value" }.',
    ]);
    expect(findings({ check: { command: 'x', sandbox: 3 } })).toEqual([
      'check.sandbox | Expected a boolean or an object, got the number 3. | Write true, false or an object such as { "network": false }.',
    ]);
  });

  it('shows a string of 40 characters whole and cuts a longer one to 37 and "..."', () => {
    expect(findings({ phases: [{ ...setup, number: 'x'.repeat(40) }] })).toEqual([
      `phases[0].number | Expected an integer, got the string "${'x'.repeat(40)}". | Write a whole number without quotes, e.g. 3.`,
    ]);
    expect(findings({ phases: [{ ...setup, number: `${'x'.repeat(37)}yyyy` }] })).toEqual([
      `phases[0].number | Expected an integer, got the string "${'x'.repeat(37)}...". | Write a whole number without quotes, e.g. 3.`,
    ]);
  });

  it('gives the limit of a number out of range', () => {
    expect(findings({ rateLimit: { maxConcurrentRequests: 0, requestsPerMinute: 0, minDelayBetweenMs: -1 } })).toEqual([
      'rateLimit.maxConcurrentRequests | Must be at least 1, got the number 0. | Use a value of 1 or more.',
      'rateLimit.minDelayBetweenMs | Must be at least 0, got the number -1. | Use a value of 0 or more.',
      'rateLimit.requestsPerMinute | Must be at least 1, got the number 0. | Use a value of 1 or more.',
    ]);
  });

  it("describes a missing field with the schema's description, without its final period", () => {
    expect(findings({ phases: [{ name: 'x' }] })).toEqual(['phases[0].number | Required field "number" is missing. | Add "number" (Unique phase number; dependencies refer to it).']);
  });

  it('suggests a generator id only for a generator reference, and a domain only for a string', () => {
    expect(findings({ name: 'Command' })).toEqual([
      'name | "Command" does not match the pattern ^[a-z][a-z0-9-]*$. | Use lowercase letters, digits and hyphens, starting with a letter, e.g. "my-shop".',
    ]);
    expect(findings({ phases: [{ ...setup, generator: { use: '@Org/x:y' } }] })).toEqual([
      'phases[0].generator.use | "@Org/x:y" does not match the pattern ^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*:[A-Za-z0-9][A-Za-z0-9._-]*$. | Use "<package>:<generator>", e.g. "nx-phases:scaffold" or "@my-org/tools:phase".',
    ]);
    expect(findings({ phases: [{ ...setup, domain: 5 }] })).toEqual([
      'phases[0].domain | Unknown domain 5. | Use one of: "setup", "database", "auth", "api", "feature", "admin", "polish", "testing".',
    ]);
  });

  it('words the other rules a plan can break: a maximum, an empty value, a blank command, an unknown field or strategy', () => {
    expect(findings({ phases: [{ ...setup, name: '', plannedFile: [] }], merge: { 'package.json': 'jsn' }, generator: 'scafold' })).toEqual([
      'generator | "scafold" does not match the pattern ^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*:[A-Za-z0-9][A-Za-z0-9._-]*$. | Did you mean "nx-phases:scaffold"? Use "<package>:<generator>", e.g. "nx-phases:scaffold" or "@my-org/tools:phase".',
      'merge["package.json"] | Unknown merge strategy "jsn". | Did you mean "json"? Use one of: "json", "lines", "regions".',
      'phases[0].name | Must not be empty. | Write a non-empty value or remove the entry.',
      'phases[0].plannedFile | Unknown field "plannedFile". | Did you mean "plannedFiles"? Allowed fields: number, name, domain, description, features, dependencies, plannedFiles, generator, check.',
    ]);
    expect(findings({ generator: { use: 'nx-phases:openai', options: { temperature: 2.5 } } })).toEqual([
      'generator.options.temperature | Must be at most 2, got the number 2.5. | Use a value of 2 or less.',
    ]);
    expect(findings({ generator: { use: 'nx-phases:command', options: { command: ' ' } } })).toEqual([
      'generator.options.command | " " does not match the pattern \\S. | Write a shell command that is not blank.',
    ]);
    expect(findings({ generator: { use: 'nx-phases:scaffold', options: { style: 'x' } } })).toEqual([
      'generator.options.style | Unknown option "style": nx-phases:scaffold takes no options. | Remove "style".',
    ]);
  });

  it('reports a check of true once, at its path, with the fix (no internal "if" rule)', () => {
    expect(findings({ phases: [{ ...setup, check: true }] })).toEqual([
      'phases[0].check | Must be false, got true. | Write false to run no check for this phase, or a check object such as { "command": "npm test" }; leave it out to use the plan\'s check.',
    ]);
  });
});

describe('runValidator on any schema (the generators\' options use it too)', () => {
  // Not strict about required fields: a validator may require a field no property declares.
  const ajv = new Ajv({ ...PLAN_AJV_OPTIONS, strictRequired: false });
  const validate = ajv.compile({
    type: 'object',
    additionalProperties: false,
    required: ['described', 'plain'],
    properties: {
      nothing: { type: 'null' },
      pair: { type: ['integer', 'null'] },
      emerge: { type: 'object', properties: { x: { enum: ['one', 'two'] } } },
      sub: { type: 'object', properties: { domains: { enum: ['dddd'] }, subdomain: { enum: ['eeee'] } } },
      even: { type: 'number', multipleOf: 2 },
      constant: { const: 'on' },
      letters: { type: 'string', pattern: '^[A-Z]+$' },
      described: { description: 'A thing. Two sentences.' },
      plain: {},
      inner: { type: 'object', additionalProperties: false, required: ['key'], properties: { key: {} } },
    },
  });
  const data = { nothing: 1, pair: 'x', emerge: { x: 'tow' }, sub: { domains: 'qqqq', subdomain: 'qqqq' }, even: 3, constant: 1, letters: 'abc', zzzzz: 1, inner: { wxyz: 1 } };
  const lines = (found: ReturnType<typeof runValidator>) => found.map((f) => `${f.path} | ${f.message} | ${f.hint}`).sort();

  it('words every kind of rule for a field, a default hint for a type without one, and the enum of an ordinary field', () => {
    expect(lines(runValidator(validate, data))).toEqual([
      'constant | Must be "on", got the number 1. | Write "on".',
      'described | Required field "described" is missing. | Add "described" (A thing. Two sentences).',
      'emerge.x | Unknown value "tow". | Did you mean "two"? Use one of: "one", "two".',
      'even | Schema rule "multipleOf" failed: must be multiple of 2. | Compare the value with schemas/phases.schema.json.',
      'inner.key | Required field "key" is missing. | Add "key".',
      'inner.wxyz | Unknown field "wxyz". | Remove it. Allowed fields: key.',
      'letters | "abc" does not match the pattern ^[A-Z]+$. | Change the value to match ^[A-Z]+$.',
      'nothing | Expected a null, got the number 1. | Change the value to null.',
      'pair | Expected an integer or a null, got the string "x". | Change the value to integer or null.',
      'plain | Required field "plain" is missing. | Add "plain".',
      'sub.domains | Unknown value "qqqq". | Use one of: "dddd".',
      'sub.subdomain | Unknown value "qqqq". | Use one of: "eeee".',
      'zzzzz | Unknown field "zzzzz". | Remove it. Allowed fields: nothing, pair, emerge, sub, even, constant, letters, described, plain, inner.',
    ]);
  });

  it("calls the validated value's own keys options of its owner, and only those", () => {
    expect(lines(runValidator(validate, { ...data, described: 1, plain: 1, zzzzz: undefined, modle: 1 }, { owner: 'my-org:gen' }).filter((f) => /^(modle|inner)/.test(f.path)))).toEqual([
      'inner.key | Required field "key" is missing. | Add "key".',
      'inner.wxyz | Unknown field "wxyz". | Remove it. Allowed fields: key.',
      'modle | Unknown option "modle" for my-org:gen. | Remove it. Allowed options: nothing, pair, emerge, sub, even, constant, letters, described, plain, inner.',
    ]);
    expect(lines(runValidator(validate, { plain: 1 }, { owner: 'my-org:gen' }))).toEqual(['described | Required option "described" of my-org:gen is missing. | Add "described" (A thing. Two sentences).']);
  });

  it('finds nothing in a valid value, and words a rule without a message', () => {
    expect(runValidator(validate, { described: 1, plain: 2 })).toEqual([]);
    const undeclared = ajv.compile({ type: 'object', properties: { other: {} }, required: ['ghost'] });
    expect(runValidator(undeclared, {})).toEqual([{ path: 'ghost', message: 'Required field "ghost" is missing.', hint: 'Add "ghost".' }]);
    const failsWithout = Object.assign(() => false, { errors: null }) as unknown as ValidateFunction;
    expect(runValidator(failsWithout, {})).toEqual([]);
    const bare = Object.assign(() => false, {
      errors: [{ keyword: 'custom', instancePath: '/x/0', schemaPath: '#/custom', params: {} }],
    }) as unknown as ValidateFunction;
    const noSchema = Object.assign(() => false, {
      errors: [{ keyword: 'required', instancePath: '', schemaPath: '#/required', params: { missingProperty: 'model' } }],
    }) as unknown as ValidateFunction;
    expect(runValidator(noSchema, {}, { owner: 'my-org:gen' })).toEqual([
      { path: 'model', message: 'Required option "model" of my-org:gen is missing.', hint: 'Add "model".' },
    ]);
    expect(runValidator(bare, {})).toEqual([
      { path: 'x[0]', message: 'Schema rule "custom" failed: invalid value.', hint: 'Compare the value with schemas/phases.schema.json.' },
    ]);
  });
});
