/** Unit tests of the schedule benchmark's pure parts: npx jest -c tools/bench/schedule/jest.config.js */
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'bench-schedule',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
};
