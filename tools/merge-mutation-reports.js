#!/usr/bin/env node
// Merges StrykerJS incremental reports of runs over different module sets (STRYKER_MUTATE=…) into one file, so
// that `npm run test:mutation` re-tests only what changed since any of them.
// Usage: node tools/merge-mutation-reports.js <into.json> <report.json>...  (later reports win for the same file)
const fs = require('node:fs');

/** Merges the `files` and `testFiles` of each report into the first (mutation-testing-report-schema 1.x). */
function mergeReports(reports) {
  const [base, ...rest] = reports;
  const merged = { ...base, files: { ...base.files }, testFiles: { ...(base.testFiles ?? {}) } };
  for (const report of rest) {
    if (report.schemaVersion !== base.schemaVersion) throw new Error(`schemaVersion ${report.schemaVersion} differs from ${base.schemaVersion}`);
    Object.assign(merged.files, report.files);
    Object.assign(merged.testFiles, report.testFiles ?? {});
  }
  return merged;
}

if (require.main === module) {
  const [into, ...inputs] = process.argv.slice(2);
  if (!into || inputs.length === 0) {
    console.error('Usage: node tools/merge-mutation-reports.js <into.json> <report.json>...');
    process.exit(1);
  }
  const reports = [into, ...inputs].filter((file) => fs.existsSync(file)).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
  const merged = mergeReports(reports);
  fs.writeFileSync(into, JSON.stringify(merged));
  console.log(`${into}: ${Object.keys(merged.files).length} mutated files`);
}

module.exports = { mergeReports };
