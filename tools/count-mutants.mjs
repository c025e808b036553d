#!/usr/bin/env node
// Counts the mutants StrykerJS would make in the configured module set (stryker.config.mjs, STRYKER_MUTATE honoured)
// without running a test: the instrumenting pass alone, per file and per mutator, to size a full run before paying it.
// Usage: node tools/count-mutants.mjs [--json]
import fs from 'node:fs';
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import config from '../stryker.config.mjs';

// The matcher StrykerJS itself applies to `mutate` (its own dependency, so both select the same files).
const { minimatch } = createRequire(createRequire(import.meta.url).resolve('@stryker-mutator/core'))('minimatch');

/** The tracked files the config's mutate globs select (a negated glob excludes), sorted. */
function selectedFiles(patterns) {
  const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return tracked.filter((f) => include.some((p) => minimatch(f, p)) && !exclude.some((p) => minimatch(f, p))).sort();
}

const quietLogger = { isDebugEnabled: () => false, debug() {}, info() {}, warn() {}, error() {}, trace() {}, isTraceEnabled: () => false, isInfoEnabled: () => false };

/** Mutants per file: total, per mutator name. */
async function countMutants(files) {
  const instrumenter = new Instrumenter(quietLogger);
  const rows = [];
  for (const name of files) {
    const { mutants } = await instrumenter.instrument([{ name, mutate: true, content: fs.readFileSync(name, 'utf8') }], { plugins: null, excludedMutations: [], ignorers: [] });
    const byMutator = {};
    for (const m of mutants) byMutator[m.mutatorName] = (byMutator[m.mutatorName] ?? 0) + 1;
    rows.push({ file: name, mutants: mutants.length, byMutator });
  }
  return rows;
}

const rows = await countMutants(selectedFiles(config.mutate));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const total = rows.reduce((sum, row) => sum + row.mutants, 0);
  const perMutator = {};
  for (const row of rows) for (const [k, v] of Object.entries(row.byMutator)) perMutator[k] = (perMutator[k] ?? 0) + v;
  for (const row of rows) console.log(`${String(row.mutants).padStart(5)}  ${row.file}`);
  console.log(`${String(total).padStart(5)}  total in ${rows.length} files`);
  console.log(Object.entries(perMutator).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', '));
}
