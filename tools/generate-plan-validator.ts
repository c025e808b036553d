/**
 * Regenerates packages/nx-phases/src/plan/generated/plan-validator.js, the ajv "standalone" validator of
 * schemas/phases.schema.json. Compiling the schema at run time costs ~200 ms in every phase process; the
 * generated code loads in a few ms. A spec test fails when the file is stale.
 *   npx ts-node --transpile-only tools/generate-plan-validator.ts
 */
import { writeFileSync } from 'node:fs';
import { GENERATED_VALIDATOR_PATH, generatePlanValidatorCode } from '../packages/nx-phases/src/plan/validator-code';

writeFileSync(GENERATED_VALIDATOR_PATH, generatePlanValidatorCode());
console.log(`wrote ${GENERATED_VALIDATOR_PATH}`);
