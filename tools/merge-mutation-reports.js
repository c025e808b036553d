#!/usr/bin/env node
// Merges StrykerJS incremental reports of runs over different module sets (STRYKER_MUTATE=…) into one file, so
// that `npm run test:mutation` re-tests only what changed since any of them.
// Usage: node tools/merge-mutation-reports.js <into.json> <report.json>[#file,file]...  (later reports win for the same file)
// A run's incremental file also holds the results it was seeded with for every file it did not mutate; when runs
// overlap in time, give each report the files its run mutated after `#` (its STRYKER_MUTATE list, expanded), so an
// older seeded entry never replaces a newer result.
const fs = require('node:fs');

/**
 * Merges the `files` and `testFiles` of each report into one (mutation-testing-report-schema 1.x); later reports win
 * for the same mutated file. Test ids are numbers local to each report ("4" is another test in another run), so every
 * test gets one id for its spec file and full name, and each report's `coveredBy` and `killedBy` are rewritten to it.
 */
function mergeReports(reports, onlyFiles = []) {
  const [base] = reports;
  const idOf = new Map();
  const testFiles = {};
  const files = {};
  for (const [index, report] of reports.entries()) {
    const only = onlyFiles[index];
    if (report.schemaVersion !== base.schemaVersion) throw new Error(`schemaVersion ${report.schemaVersion} differs from ${base.schemaVersion}`);
    const local = new Map();
    for (const [file, entry] of Object.entries(report.testFiles ?? {})) {
      const merged = (testFiles[file] = { ...entry, tests: testFiles[file]?.tests ?? [] });
      for (const test of entry.tests) {
        const key = `${file}\0${test.name}`;
        const known = idOf.has(key);
        const id = known ? idOf.get(key) : String(idOf.size);
        idOf.set(key, id);
        local.set(test.id, id);
        const kept = { ...test, id };
        if (known) merged.tests[merged.tests.findIndex((t) => t.id === id)] = kept;
        else merged.tests.push(kept);
      }
    }
    const remap = (ids) => ids?.map((id) => local.get(id) ?? id);
    for (const [file, entry] of Object.entries(report.files)) {
      if (only && !only.has(file)) continue;
      files[file] = { ...entry, mutants: entry.mutants.map((m) => ({ ...m, coveredBy: remap(m.coveredBy), killedBy: remap(m.killedBy) })) };
    }
  }
  return { ...base, files, testFiles };
}

if (require.main === module) {
  const [into, ...inputs] = process.argv.slice(2);
  if (!into || inputs.length === 0) {
    console.error('Usage: node tools/merge-mutation-reports.js <into.json> <report.json>...');
    process.exit(1);
  }
  const specs = [into, ...inputs].map((input) => {
    const [file, only] = input.split('#');
    return { file, only: only === undefined ? undefined : new Set(only.split(',').filter(Boolean)) };
  });
  const present = specs.filter(({ file }) => fs.existsSync(file));
  for (const { file, only } of present) {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    const missing = [...(only ?? [])].filter((name) => !report.files[name]);
    if (missing.length) {
      console.error(`${file} has no results for ${missing.join(', ')}: give the files its run mutated.`);
      process.exit(1);
    }
  }
  const reports = present.map(({ file }) => JSON.parse(fs.readFileSync(file, 'utf8')));
  const merged = mergeReports(reports, present.map(({ only }) => only));
  fs.writeFileSync(into, JSON.stringify(merged));
  console.log(`${into}: ${Object.keys(merged.files).length} mutated files`);
}

module.exports = { mergeReports };
