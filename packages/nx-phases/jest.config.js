/** Unit, spec, executor and generator tests of the plugin. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'nx-phases',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  setupFiles: ['<rootDir>/jest.setup.js'],
};
