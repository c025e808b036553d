const TestRunner = require('jest-runner').default;

/**
 * StrykerJS runs every covering test of a mutant to the end (Jest's own `bail` exits the process, so Stryker turns it
 * off). In a mutant run (Stryker's __STRYKER_ACTIVE_MUTANT__ is set) this runner stops after the first test file with a
 * failing test or a file that fails to load: the mutant is killed, and the slower files after it (sorted fastest first)
 * would not change that. Jest drops the files it did not start; outside a mutant run it is Jest's runner unchanged.
 */
class StopAtFirstKillRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (!process.env.__STRYKER_ACTIVE_MUTANT__) return super.runTests(tests, watcher, options);
    const stop = () => watcher.setState({ interrupted: true });
    const unsubscribe = [
      this.on('test-file-success', ([, result]) => (result.numFailingTests > 0 || result.testExecError ? stop() : undefined)),
      this.on('test-file-failure', stop),
    ];
    try {
      return await super.runTests(tests, watcher, { ...options, serial: true });
    } finally {
      for (const off of unsubscribe) off();
    }
  }
}

module.exports = StopAtFirstKillRunner;
