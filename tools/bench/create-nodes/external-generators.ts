/**
 * What createNodes pays per plan to check the generators of other packages (polish item 5: worth caching?).
 *   npx ts-node --transpile-only tools/bench/create-nodes/external-generators.ts
 * In a temp workspace: `checkExternalGenerators` for one installed generator and one missing package (the missing
 * one walks every parent folder), against `lockfileStamp` (the memo key a cache would need), each timed over 5,000
 * calls after 200 warm-up calls, median of 5 rounds. Everything lives in the temp folder, removed at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkExternalGenerators } from '../../../packages/nx-phases/src/plugin/external-generators';
import { lockfileStamp } from '../../../packages/nx-phases/src/plugin/generator-version';

const root = mkdtempSync(join(tmpdir(), 'nx-phases-bench-generators-'));
try {
  mkdirSync(join(root, 'node_modules', 'my-gens'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'my-gens', 'package.json'), JSON.stringify({ name: 'my-gens', version: '1.0.0', generators: './generators.json' }));
  writeFileSync(join(root, 'node_modules', 'my-gens', 'generators.json'), JSON.stringify({ generators: { app: { factory: './app' }, page: { factory: './page' } } }));
  writeFileSync(join(root, 'package-lock.json'), '{}');
  const refs = [
    { use: 'my-gens:app', path: 'generator' },
    { use: 'missing-gens:x', path: 'phases[0].generator' },
  ];
  const cases: Array<[string, () => unknown]> = [
    ['checkExternalGenerators, 1 installed + 1 missing', () => checkExternalGenerators(refs, root, 'apps/a/phases.json')],
    ['lockfileStamp (a cache key would need it)', () => lockfileStamp(root)],
  ];
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const [label, call] of cases) {
    const rounds = Array.from({ length: 5 }, () => microsPerCall(call));
    console.log(`${label}: median ${median(rounds).toFixed(0)} µs per plan (rounds: ${rounds.map((r) => r.toFixed(0)).join(', ')})`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

function microsPerCall(call: () => unknown): number {
  for (let i = 0; i < 200; i++) call();
  const calls = 5_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) call();
  return Number(process.hrtime.bigint() - started) / calls / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
