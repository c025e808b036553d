/**
 * Times the pure plan core on generated plans of 1,000 and 5,000 phases.
 * Run from the repository root: npx ts-node --transpile-only tools/bench/plan-core/index.ts
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { computeLevels, findConflicts, groupByLevel, parsePlan, resolveConflicts } from '../../../packages/nx-phases/src/plan';
import { generatePlan } from './generate';

const SIZES = [1000, 5000];
const RUNS = 5;
const WARM_UP_RUNS = 2;
const SEED = 1234;
const GOAL_MS = 1000;

interface Row {
  phases: number;
  jsonKb: number;
  levels: number;
  widest: number;
  conflicts: number;
  addedEdges: number;
  parseMs: number;
  levelsMs: number;
  conflictsMs: number;
  pipelineMs: number;
  resolveMs: number;
}

/** Median of `RUNS` timings of `step`, each run given a fresh input from `prepare` (untimed). */
function medianMs<T>(prepare: () => T, step: (input: T) => unknown): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const input = prepare();
    const start = performance.now();
    step(input);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

/**
 * Benchmarks one plan size after untimed warm-up runs (so the JIT has compiled every step). Steps that build
 * the graph or reachability get a freshly parsed plan each run, so the per-plan caches never help.
 */
function benchmark(phaseCount: number): Row {
  const text = JSON.stringify(generatePlan(phaseCount, SEED), null, 2);
  const fresh = () => parsePlan(text, 'phases.json');
  for (let run = 0; run < WARM_UP_RUNS; run++) {
    const plan = fresh();
    computeLevels(plan);
    findConflicts(plan);
    resolveConflicts(fresh());
  }
  const parsed = fresh();
  return {
    phases: phaseCount,
    jsonKb: Math.round(text.length / 1024),
    levels: groupByLevel(parsed).length,
    widest: Math.max(...groupByLevel(parsed).map((group) => group.length)),
    conflicts: findConflicts(parsed).length,
    addedEdges: resolveConflicts(parsed).addedEdges.length,
    parseMs: medianMs(() => text, (input) => parsePlan(input, 'phases.json')),
    levelsMs: medianMs(fresh, computeLevels),
    conflictsMs: medianMs(fresh, findConflicts),
    pipelineMs: medianMs(() => text, (input) => {
      const plan = parsePlan(input, 'phases.json');
      computeLevels(plan);
      findConflicts(plan);
    }),
    resolveMs: medianMs(fresh, resolveConflicts),
  };
}

/** Prints rows as an aligned text table. */
function printTable(rows: Row[]): void {
  const header = ['phases', 'JSON', 'levels', 'widest', 'conflicts', 'added edges', 'parsePlan', 'computeLevels', 'findConflicts', 'parse+levels+conflicts', 'resolveConflicts'];
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const lines = rows.map((row) => [
    String(row.phases),
    `${row.jsonKb} KB`,
    String(row.levels),
    String(row.widest),
    String(row.conflicts),
    String(row.addedEdges),
    ms(row.parseMs),
    ms(row.levelsMs),
    ms(row.conflictsMs),
    `${ms(row.pipelineMs)}${row.pipelineMs < GOAL_MS ? '' : ' (over goal)'}`,
    ms(row.resolveMs),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const render = (cells: string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column])).join(' | ')} |`;
  console.log(render(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  lines.forEach((line) => console.log(render(line)));
}

const machine = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()[0].toFixed(1)}`;
console.log(`plan-core benchmark: median of ${RUNS} runs, seed ${SEED}, ${machine}`);
console.log('computeLevels includes building the dependency graph; findConflicts includes building the bitset reachability;');
console.log('parse+levels+conflicts is the whole pipeline timed end to end (goal: under 1 s at 5,000 phases).');
console.log('');
printTable(SIZES.map(benchmark));
console.log('');
console.log('Reproduce: npx ts-node --transpile-only tools/bench/plan-core/index.ts');
