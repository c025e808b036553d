// Mutation testing of the modules that carry guarantees (npm run test:mutation; kept out of npm test).
// A module set can be chosen with STRYKER_MUTATE="glob,glob" (e.g. one folder while you work on it), and
// STRYKER_SHARD=i/n runs the i-th of n shards of nearly equal mutant counts (one per CI machine; docs/mutation.md).
import fs from 'node:fs';
import { countMutants, parseShard, selectedFiles, shardFiles } from './tools/mutation-files.mjs';

/** The modules whose tests must catch planted bugs: plan core, runtime mechanisms, report geometry, dev build key. */
const guaranteed = [
  'packages/nx-phases/src/plan/**/*.ts',
  'packages/nx-phases/src/runtime/validate-output.ts',
  'packages/nx-phases/src/runtime/atomic-commit.ts',
  'packages/nx-phases/src/runtime/manifest.ts',
  'packages/nx-phases/src/runtime/manifest-checks.ts',
  'packages/nx-phases/src/runtime/record-paths.ts',
  'packages/nx-phases/src/runtime/snapshot.ts',
  'packages/nx-phases/src/runtime/single-flight/**/*.ts',
  'packages/nx-phases/src/runtime/rate-limit/**/*.ts',
  'packages/nx-phases/src/runtime/reuse/**/*.ts',
  'packages/nx-phases/src/runtime/batch/**/*.ts',
  'packages/nx-phases/src/runtime/merge/**/*.ts',
  'packages/nx-phases/src/generators/command/sandbox*.ts',
  'packages/nx-phases/src/report/schedule.ts',
  'packages/nx-phases/src/report/durations.ts',
  'packages/nx-phases/src/report/run-report.ts',
  'packages/nx-phases/src/report/render-run-html.ts',
  'packages/nx-phases/src/report/plan-layout.ts',
];
const excluded = ['!**/*.spec.ts', '!**/test-utils/**', '!**/generated/**', '!**/types.ts'];

/**
 * The batch runner's modules that run only inside forked batch workers (as in Nx): StrykerJS's perTest coverage sees
 * only the Jest process, so it would call their mutants "no coverage" and never run them. STRYKER_TARGET=workers
 * mutates them with coverage analysis off, every mutant against the batch folder's specs (which fork real workers).
 */
const workerModules = ['run-batch', 'task-output', 'parent-watch', 'worker-exit'].map((name) => `packages/nx-phases/src/runtime/batch/${name}.ts`);

/**
 * The commit, whose durability spec commits in a child process under strace (the fsyncs a power loss would show):
 * perTest coverage cannot see that child either, so STRYKER_TARGET=commit runs every mutant of atomic-commit.ts with
 * coverage off against its two spec files.
 */
const commitModule = 'packages/nx-phases/src/runtime/atomic-commit.ts';

/** What to mutate and against which tests: the plugin (default), its batch workers, its commit, or the dev build key. */
const targets = {
  plugin: { files: guaranteed, skip: [...workerModules, commitModule].map((file) => `!${file}`), jestConfig: 'packages/nx-phases/jest.mutation.config.js' },
  workers: { files: workerModules, skip: [], jestConfig: 'packages/nx-phases/jest.mutation.workers.config.js' },
  commit: { files: [commitModule], skip: [], jestConfig: 'packages/nx-phases/jest.mutation.commit.config.js' },
  // The dev build key (tools/dev-plugin) has its own Jest project.
  'dev-build': { files: ['tools/dev-plugin/build.js'], skip: [], jestConfig: 'tools/dev-plugin/jest.config.js' },
};
const target = process.env.STRYKER_TARGET ?? 'plugin';
if (!Object.hasOwn(targets, target)) {
  throw new Error(`STRYKER_TARGET="${target}" is not a target: give one of ${Object.keys(targets).join(', ')} (or leave it unset for plugin).`);
}
const ignoreStaticSetting = process.env.STRYKER_IGNORE_STATIC ?? 'true';
if (!['true', 'false'].includes(ignoreStaticSetting)) {
  throw new Error(`STRYKER_IGNORE_STATIC="${ignoreStaticSetting}" is not allowed: give true (the default: static mutants are ignored) or false (run them).`);
}
const devBuild = target === 'dev-build';
/** Targets whose code runs in child processes of the specs: coverage analysis off, every mutant against all their specs. */
const inWorkers = target === 'workers' || target === 'commit';
const chosen = process.env.STRYKER_MUTATE ? process.env.STRYKER_MUTATE.split(',') : targets[target].files;
const patterns = [...chosen, ...targets[target].skip, ...excluded];
const shard = process.env.STRYKER_SHARD ? parseShard(process.env.STRYKER_SHARD) : undefined;
/** A shard keeps its own incremental file, seeded from the committed one; the shards' files are merged afterwards. */
const runName = shard ? `${target}-shard-${shard.index}-of-${shard.count}` : target;
const incrementalFile = shard ? `reports/mutation/shards/${runName}-incremental.json` : `reports/mutation/${target}-incremental.json`;
if (shard && !fs.existsSync(incrementalFile) && fs.existsSync(`reports/mutation/${target}-incremental.json`)) {
  fs.mkdirSync('reports/mutation/shards', { recursive: true });
  fs.copyFileSync(`reports/mutation/${target}-incremental.json`, incrementalFile);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: targets[target].jestConfig, enableFindRelatedTests: !inWorkers },
  checkers: devBuild ? [] : ['typescript'],
  // The checker asks whether the mutated library compiles: tsconfig.lib.json (no specs; ts-jest never type-checks them).
  tsconfigFile: devBuild ? 'tools/dev-plugin/tsconfig.spec.json' : 'packages/nx-phases/tsconfig.lib.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Coverage is measured per test, except in child processes (workers, the traced commit): no coverage reaches StrykerJS.
  coverageAnalysis: inWorkers ? 'off' : 'perTest',
  mutate: shard ? shardFiles(await countMutants(selectedFiles(patterns)), shard.index, shard.count) : patterns,
  // A static mutant (a module-level constant) takes effect only if it is active while the module loads: StrykerJS
  // then runs it against every related spec (slow). Ignored by default; STRYKER_IGNORE_STATIC=false runs them, and
  // also the "hybrid" ones (covered at load and by tests), which otherwise are activated too late and survive.
  ignoreStatic: !inWorkers && ignoreStaticSetting === 'true', // needs perTest coverage
  incremental: true,
  incrementalFile,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 30000,
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 3,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${runName}.html` },
  jsonReporter: { fileName: `reports/mutation/${runName}.json` },
  // `// @ts-nocheck` goes atop TypeScript files only: the generated plan validator (plain JavaScript) must stay
  // byte-identical to what tools/generate-plan-validator.ts writes, or validator-code.spec fails the dry run.
  disableTypeChecks: '**/*.{ts,tsx,mts,cts}',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['/dist', '/tmp', '/coverage', '/reports', '/.nx', '/packages/nx-phases-e2e', '/docs', '/tools/dev-plugin/schemas'],
  thresholds: { high: 90, low: 85, break: null },
};
