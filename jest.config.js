/**
 * Root Jest config: every package's suite, so `npm test` runs them all.
 * One worker per core (Jest's default leaves one core idle: on a 2-core CI machine that ran every suite in turn,
 * while an e2e suite mostly waits on its nx processes).
 */
module.exports = {
  projects: ['<rootDir>/packages/nx-phases', '<rootDir>/packages/nx-phases-e2e', '<rootDir>/tools/bench/schedule', '<rootDir>/tools/bench/merge', '<rootDir>/tools/dev-plugin'],
  maxWorkers: '100%',
};
