/**
 * The commit as StrykerJS runs it (STRYKER_TARGET=commit): coverage analysis is off, so every mutant of atomic-commit.ts
 * runs its two spec files, the durability one committing in a child process under strace that loads the mutated
 * source; fastest file first, stopping at the first file that kills it.
 */
module.exports = { ...require('./jest.mutation.config.js'), testMatch: ['<rootDir>/src/runtime/atomic-commit*.spec.ts'] };
