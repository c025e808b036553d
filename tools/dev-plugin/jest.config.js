/** Tests of the repo's own entry to the plugin (the dev build): npx jest -c tools/dev-plugin/jest.config.js */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dev-plugin',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
};
