// The files StrykerJS mutates and their mutant counts, shared by stryker.config.mjs (STRYKER_SHARD) and
// tools/count-mutants.mjs, so a shard and the count see the same files.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Instrumenter } from '@stryker-mutator/instrumenter';

// The matcher StrykerJS itself applies to `mutate` (its own dependency, so both select the same files).
const { minimatch } = createRequire(createRequire(import.meta.url).resolve('@stryker-mutator/core'))('minimatch');

/** The tracked files the `mutate` globs select (a negated glob excludes), sorted. */
export function selectedFiles(patterns) {
  const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return tracked.filter((f) => include.some((p) => minimatch(f, p)) && !exclude.some((p) => minimatch(f, p))).sort();
}

const quietLogger = { isDebugEnabled: () => false, debug() {}, info() {}, warn() {}, error() {}, trace() {}, isTraceEnabled: () => false, isInfoEnabled: () => false };

/** Mutants per file (StrykerJS's own instrumenter, no test run): total and per mutator name. */
export async function countMutants(files) {
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

/** Parses STRYKER_SHARD ("3/8": the third of eight shards), or throws a one-line error saying what is allowed. */
export function parseShard(text) {
  const match = /^([1-9]\d*)\/([1-9]\d*)$/.exec(text.trim());
  if (!match || Number(match[1]) > Number(match[2])) {
    throw new Error(`STRYKER_SHARD="${text}" is not a shard: give i/n with 1 <= i <= n, e.g. STRYKER_SHARD=3/8 for the third of eight shards.`);
  }
  return { index: Number(match[1]), count: Number(match[2]) };
}

/**
 * Splits files into `count` shards of nearly equal mutant counts (largest file first into the lightest shard; ties by
 * name, so every machine computes the same split) and returns shard `index` (1-based): every file is in exactly one.
 */
export function shardFiles(rows, index, count) {
  const shards = Array.from({ length: count }, () => ({ mutants: 0, files: [] }));
  const largestFirst = [...rows].sort((a, b) => b.mutants - a.mutants || a.file.localeCompare(b.file));
  for (const row of largestFirst) {
    const lightest = shards.reduce((best, shard) => (shard.mutants < best.mutants ? shard : best));
    lightest.files.push(row.file);
    lightest.mutants += row.mutants;
  }
  return shards[index - 1].files.sort();
}
