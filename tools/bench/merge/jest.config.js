/** Unit tests of the merge benchmark's pure parts: npx jest -c tools/bench/merge/jest.config.js */
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'bench-merge',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
};
