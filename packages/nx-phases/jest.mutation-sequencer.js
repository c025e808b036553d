const fs = require('node:fs');
const path = require('node:path');
const FastestFirstSequencer = require('./jest.fastest-first.js');

/** Where the test-name index of the current StrykerJS sandbox lives (next to this config, inside the sandbox copy). */
const indexFile = path.join(__dirname, '.stryker-test-files.json');

/**
 * StrykerJS runs a mutant with `--findRelatedTests <file> -t <covering tests>`: Jest then loads every spec file that
 * imports the mutated file (about 50 for a plan module) only to skip nearly all of their tests. This sequencer records,
 * in Stryker's dry run (all tests, no name filter), which test names each file holds, and for a mutant keeps only the
 * files holding a test that the name filter matches, the same regular expression Jest applies: the tests that run are
 * unchanged, the files that would only skip are not loaded. Fastest files first, as in the plain suite.
 */
class MutationSequencer extends FastestFirstSequencer {
  constructor(options) {
    super(options);
    this.namePattern = options?.globalConfig?.testNamePattern;
  }

  sort(tests) {
    const ordered = super.sort(tests);
    const index = this.namePattern ? readIndex() : undefined;
    if (!index) return ordered;
    const pattern = new RegExp(this.namePattern, 'i');
    return ordered.filter((test) => {
      const names = index[test.path];
      return names === undefined || names.some((name) => pattern.test(name));
    });
  }

  cacheResults(tests, results) {
    super.cacheResults(tests, results);
    if (this.namePattern || !process.env.STRYKER_MUTATOR_WORKER) return;
    const index = {};
    for (const file of results.testResults) index[file.testFilePath] = file.testResults.map((test) => test.fullName);
    fs.writeFileSync(indexFile, JSON.stringify(index));
  }
}

/** The index written by the dry run, or undefined outside a Stryker sandbox (then every related file runs). */
function readIndex() {
  if (!process.env.STRYKER_MUTATOR_WORKER) return undefined;
  try {
    return JSON.parse(fs.readFileSync(indexFile, 'utf8'));
  } catch {
    return undefined;
  }
}

module.exports = MutationSequencer;
