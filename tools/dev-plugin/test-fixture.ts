import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temp repository holding a tiny plugin, for the dev build's tests. */
export interface FixtureRepo {
  root: string;
  /** Writes a repo-relative file (an object is written as JSON). */
  write(path: string, content: string | object): void;
  /** The source files the build transpiled so far (file names relative to the plugin), in order, from every process. */
  transpiled(): string[];
  /** Forgets the transpiled files recorded so far. */
  clearTranspiled(): void;
  remove(): void;
}

/** The plugin's two TypeScript sources and what they print: `run.ts` uses `util.ts`. */
export const RUN_TS = (version: string) => `import { label } from './util';\nexport default function run(): string { return label('${version}'); }\n`;
export const UTIL_TS = '// a comment the compiler keeps unless told otherwise\nexport const label = (v: string): string => `version ${v}`;\n';

/**
 * The TypeScript the fixture's build loads (node_modules/typescript in the temp repo): the real compiler, with
 * a version of its own in package.json (part of the build key) and every `transpileModule` call recorded in
 * transpiled.log. When DEV_BUILD_TEST_GATE is set, each process marks `<gate>.arrived-<pid>` at its first
 * transpile and waits there until `<gate>.open` exists, so a test can hold two builds in the middle at once.
 */
function typescriptShim(log: string, pluginRoot: string): string {
  return `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const real = require(${JSON.stringify(require.resolve('typescript'))});
const pause = new Int32Array(new SharedArrayBuffer(4));
module.exports = {
  ...real,
  transpileModule(source, options) {
    fs.appendFileSync(${JSON.stringify(log)}, path.relative(${JSON.stringify(pluginRoot)}, options.fileName).split(path.sep).join('/') + '\\n');
    const gate = process.env.DEV_BUILD_TEST_GATE;
    if (gate) {
      fs.writeFileSync(gate + '.arrived-' + process.pid, '');
      while (!fs.existsSync(gate + '.open')) Atomics.wait(pause, 0, 0, 20);
    }
    return real.transpileModule(source, options);
  },
};
`;
}

/** Creates the temp repository: tsconfig files, a fake TypeScript version over the real compiler, the plugin's sources. */
export function createFixtureRepo(): FixtureRepo {
  const root = mkdtempSync(join(tmpdir(), 'nx-phases-dev-build-'));
  const log = join(root, 'transpiled.log');
  const write = (path: string, content: string | object) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  };
  write('tsconfig.base.json', { compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true, strict: true } });
  write('node_modules/typescript/package.json', { name: 'typescript', version: '5.0.0-fixture', main: 'index.js' });
  write('node_modules/typescript/index.js', typescriptShim(log, join(root, 'packages', 'nx-phases')));
  write('packages/nx-phases/tsconfig.json', { extends: '../../tsconfig.base.json' });
  write('packages/nx-phases/tsconfig.lib.json', { extends: './tsconfig.json', include: ['src/**/*.ts'] });
  write('packages/nx-phases/package.json', { name: 'nx-phases', version: '1.0.0', executors: './executors.json' });
  write('packages/nx-phases/executors.json', { executors: { run: { implementation: './src/run', schema: './src/schema.json' } } });
  write('packages/nx-phases/src/schema.json', { type: 'object' });
  write('packages/nx-phases/src/util.ts', UTIL_TS);
  write('packages/nx-phases/src/run.ts', RUN_TS('1'));
  write('packages/nx-phases/src/run.spec.ts', '// a test file of the plugin: the dev build must leave it out\nexport {};\n');
  return {
    root,
    write,
    transpiled: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    clearTranspiled: () => rmSync(log, { force: true }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
