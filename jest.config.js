/** Root Jest config: every package's suite, so `npm test` runs them all. */
module.exports = {
  projects: ['<rootDir>/packages/nx-phases', '<rootDir>/packages/nx-phases-e2e', '<rootDir>/tools/bench/schedule', '<rootDir>/tools/bench/merge', '<rootDir>/tools/dev-plugin'],
};
