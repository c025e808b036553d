/** e2e suite: builds and packs the plugin once (globalSetup), then drives real nx commands in temp workspaces. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'nx-phases-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  globalSetup: '<rootDir>/src/global-setup.ts',
  globalTeardown: '<rootDir>/src/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/src/jest-timeout.ts'],
};
