const fs = require('node:fs');
const path = require('node:path');
const FastestFirstSequencer = require('./jest.fastest-first.js');

/** Where the test-file index of the current StrykerJS sandbox lives (next to this config, inside the sandbox copy). */
const indexFile = path.join(__dirname, '.stryker-test-files.json');

/**
 * In a mutant run, a spec file outside the mutated module's folder runs only if the dry run took it less than this
 * many milliseconds: a module is judged by its own folder's specs and by every fast spec, not by the slow
 * integration specs of other modules (the demo shop scaffold, `verify`, the openai generator: 15-35 s each, which
 * every surviving plan-core mutant used to run). It can only lower a score, never raise it: a mutant that only a
 * skipped file kills is reported as surviving. STRYKER_SLOW_FILE_MS overrides it (`Infinity` runs every file).
 */
const slowFileMs = Number(process.env.STRYKER_SLOW_FILE_MS ?? 4000);

/**
 * StrykerJS runs a mutant with `--findRelatedTests <file> -t <covering tests>`: Jest then loads every spec file that
 * imports the mutated file (about 50 for a plan module) only to skip nearly all of their tests. This sequencer records,
 * in Stryker's dry run (all tests, no name filter), which test names each file holds and how long it took, and for a
 * mutant keeps only the files holding a test that the name filter matches (the same regular expression Jest applies)
 * and that are in the mutated file's folder or fast (above): the module's own spec files first (most mutants die
 * there), then its folder's, then the rest, fastest first within each (Array.prototype.sort is stable).
 */
class MutationSequencer extends FastestFirstSequencer {
  constructor(options) {
    super(options);
    const globalConfig = options?.globalConfig;
    this.namePattern = globalConfig?.testNamePattern;
    const mutated = globalConfig?.findRelatedTests && globalConfig.nonFlagArgs?.length === 1 ? globalConfig.nonFlagArgs[0] : undefined;
    this.mutatedFolder = mutated && path.dirname(mutated);
    this.mutatedName = mutated && path.basename(mutated).replace(/\.[cm]?[jt]sx?$/, '');
  }

  /** 0: the mutated module's own spec files (`<name>.spec.ts`, `<name>.<topic>.spec.ts`), 1: its folder's, 2: others. */
  kinship(test) {
    if (path.dirname(test.path) !== this.mutatedFolder) return 2;
    return path.basename(test.path).startsWith(`${this.mutatedName}.`) ? 0 : 1;
  }

  sort(tests) {
    const ordered = super.sort(tests);
    if (this.mutatedFolder) ordered.sort((a, b) => this.kinship(a) - this.kinship(b));
    // A static mutant (STRYKER_IGNORE_STATIC=false) runs with no name filter: only the slow-file rule applies.
    const inMutantRun = Boolean(process.env.__STRYKER_ACTIVE_MUTANT__);
    const index = this.namePattern || inMutantRun ? readIndex() : undefined;
    if (!index) return ordered;
    const pattern = this.namePattern ? new RegExp(this.namePattern, 'i') : undefined;
    return ordered.filter((test) => {
      const entry = index[test.path];
      if (entry === undefined) return true;
      if (pattern && !entry.names.some((name) => pattern.test(name))) return false;
      return entry.ms < slowFileMs || this.mutatedFolder === undefined || this.kinship(test) < 2;
    });
  }

  cacheResults(tests, results) {
    super.cacheResults(tests, results);
    if (this.namePattern || !process.env.STRYKER_MUTATOR_WORKER) return;
    const index = {};
    for (const file of results.testResults) {
      const ms = file.perfStats.end - file.perfStats.start;
      index[file.testFilePath] = { names: file.testResults.map((test) => test.fullName), ms };
    }
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
