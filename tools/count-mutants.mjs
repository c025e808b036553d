#!/usr/bin/env node
// Counts the mutants StrykerJS would make in the configured module set (stryker.config.mjs, STRYKER_MUTATE honoured)
// without running a test: the instrumenting pass alone, per file and per mutator, to size a full run before paying it.
// Usage: node tools/count-mutants.mjs [--json]
import { countMutants, selectedFiles } from './mutation-files.mjs';
import config from '../stryker.config.mjs';

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
