/**
 * The plugin's suite as StrykerJS runs it: the same tests, fastest files first; for a mutant only the files holding
 * its covering tests, stopping at the first file that kills it.
 */
module.exports = {
  ...require('./jest.config.js'),
  testSequencer: require.resolve('./jest.mutation-sequencer.js'),
  runner: require.resolve('./jest.mutation-runner.js'),
  // StrykerJS's instrumented code runs slower, often beside other runs: Jest's 5 s default failed two dry runs at
  // load 7-10 (the phase executor and cost estimate specs, real executors and a loopback server).
  testTimeout: 60_000,
};
