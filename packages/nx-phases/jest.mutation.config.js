/** The plugin's suite as StrykerJS runs it: the same tests, fastest files first, so a mutant dies on the quickest test. */
module.exports = {
  ...require('./jest.config.js'),
  testSequencer: require.resolve('./jest.fastest-first.js'),
};
