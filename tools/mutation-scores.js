#!/usr/bin/env node
// Prints the scores table rows of docs/mutation.md from a StrykerJS JSON or incremental report, one row per file.
// Usage: node tools/mutation-scores.js <report.json> [path-substring...]  (only files containing one of the substrings)
const fs = require('node:fs');

/** Counts per status and the score (killed + timeout over killed + timeout + survived + no coverage) of one file. */
function fileScore(mutants) {
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const row = {
    mutants: mutants.length,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    compileErrors: count('CompileError'),
    runtimeErrors: count('RuntimeError'),
    ignored: count('Ignored'),
  };
  const valid = row.killed + row.timeout + row.survived + row.noCoverage;
  return { ...row, score: valid === 0 ? null : (100 * (row.killed + row.timeout)) / valid };
}

/** One markdown table row per file of the report. */
function scoreRows(report, filters = []) {
  return Object.entries(report.files)
    .filter(([file]) => filters.length === 0 || filters.some((f) => file.includes(f)))
    .map(([file, { mutants }]) => {
      const s = fileScore(mutants);
      const score = s.score === null ? 'n/a' : `${s.score.toFixed(1)} %`;
      return `| ${file.replace('packages/nx-phases/src/', '')} | ${s.mutants} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${s.compileErrors} + ${s.runtimeErrors} | ${score} |`;
    });
}

if (require.main === module) {
  const [file, ...filters] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: node tools/mutation-scores.js <report.json> [path-substring...]');
    process.exit(1);
  }
  for (const row of scoreRows(JSON.parse(fs.readFileSync(file, 'utf8')), filters)) console.log(row);
}

module.exports = { fileScore, scoreRows };
