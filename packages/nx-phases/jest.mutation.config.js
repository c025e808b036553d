/**
 * The plugin's suite as StrykerJS runs it: the same tests, fastest files first; for a mutant only the files holding
 * its covering tests, stopping at the first file that kills it.
 */
module.exports = {
  ...require('./jest.config.js'),
  testSequencer: require.resolve('./jest.mutation-sequencer.js'),
  runner: require.resolve('./jest.mutation-runner.js'),
};
