/**
 * The batch worker's modules as StrykerJS runs them (STRYKER_TARGET=workers): coverage analysis is off, so every mutant
 * runs the batch folder's specs, which fork real workers that load the mutated source; fastest file first, stopping at
 * the first file that kills it.
 */
module.exports = { ...require('./jest.mutation.config.js'), testMatch: ['<rootDir>/src/runtime/batch/**/*.spec.ts'] };
