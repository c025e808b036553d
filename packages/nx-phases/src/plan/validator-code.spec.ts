import { readFileSync } from 'node:fs';
import { GENERATED_VALIDATOR_PATH, generatePlanValidatorCode, planOptionsSchema } from './validator-code';

describe('generated plan validator', () => {
  it('matches the schema (run `npx ts-node --transpile-only tools/generate-plan-validator.ts` after editing it)', () => {
    expect(readFileSync(GENERATED_VALIDATOR_PATH, 'utf8')).toBe(generatePlanValidatorCode());
  });
});

describe('planOptionsSchema (the options a plan may give a generator)', () => {
  it('drops every option the executor sets, closes the object, and keeps the rest required', () => {
    const schema = {
      $schema: 'http://json-schema.org/schema',
      cli: 'nx',
      title: 'x',
      type: 'object',
      properties: { plan: {}, phase: {}, dependencies: {}, context: {}, runtime: {}, model: { type: 'string' } },
      required: ['plan', 'phase', 'dependencies', 'context', 'runtime', 'model'],
    };
    expect(planOptionsSchema(schema)).toEqual({
      type: 'object',
      properties: { model: { type: 'string' } },
      required: ['model'],
      additionalProperties: false,
    });
    expect(Object.keys(schema.properties)).toHaveLength(6);
  });

  it('has no required list when only executor options were required, or none', () => {
    const properties = { plan: {}, phase: {}, style: {} };
    expect(planOptionsSchema({ properties, required: ['plan', 'phase'] })).toEqual({ type: 'object', properties: { style: {} }, additionalProperties: false });
    expect(planOptionsSchema({ properties })).toEqual({ type: 'object', properties: { style: {} }, additionalProperties: false });
  });
});
