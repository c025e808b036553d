// Mutation testing of the modules that carry guarantees (npm run test:mutation; kept out of npm test).
// A module set can be chosen with STRYKER_MUTATE="glob,glob" (e.g. one folder while you work on it).
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

/** The dev build key (tools/dev-plugin) has its own Jest project; STRYKER_TARGET=dev-build mutates it. */
const devBuild = process.env.STRYKER_TARGET === 'dev-build';
const chosen = process.env.STRYKER_MUTATE ? process.env.STRYKER_MUTATE.split(',') : devBuild ? ['tools/dev-plugin/build.js'] : guaranteed;
const target = devBuild ? 'dev-build' : 'plugin';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: devBuild ? 'tools/dev-plugin/jest.config.js' : 'packages/nx-phases/jest.mutation.config.js', enableFindRelatedTests: true },
  checkers: devBuild ? [] : ['typescript'],
  // The checker asks whether the mutated library compiles: tsconfig.lib.json (no specs; ts-jest never type-checks them).
  tsconfigFile: devBuild ? 'tools/dev-plugin/tsconfig.spec.json' : 'packages/nx-phases/tsconfig.lib.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [...chosen, ...excluded],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${target}-incremental.json`,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 30000,
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 3,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${target}.html` },
  jsonReporter: { fileName: `reports/mutation/${target}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['/dist', '/tmp', '/coverage', '/reports', '/.nx', '/packages/nx-phases-e2e', '/docs', '/tools/dev-plugin/schemas'],
  thresholds: { high: 90, low: 85, break: null },
};
