import { readFileSync } from 'node:fs';
import { GENERATED_VALIDATOR_PATH, generatePlanValidatorCode } from './validator-code';

describe('generated plan validator', () => {
  it('matches the schema (run `npx ts-node --transpile-only tools/generate-plan-validator.ts` after editing it)', () => {
    expect(readFileSync(GENERATED_VALIDATOR_PATH, 'utf8')).toBe(generatePlanValidatorCode());
  });
});
