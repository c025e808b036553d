const Sequencer = require('@jest/test-sequencer').default;

/** Orders test files by their last recorded duration, fastest first (Jest's default runs the slowest first). */
class FastestFirstSequencer extends Sequencer {
  sort(tests) {
    const duration = (test) => this._getCache(test)[test.path]?.[1] ?? Number.MAX_SAFE_INTEGER;
    return [...tests].sort((a, b) => duration(a) - duration(b) || a.path.localeCompare(b.path));
  }
}

module.exports = FastestFirstSequencer;
