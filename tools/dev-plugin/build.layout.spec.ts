import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { createDevBuild, sourceFiles } from './build';
import { createFixtureRepo, FixtureRepo } from './test-fixture';

/** What the dev build builds, how it points Nx at it, what it rewrites and what it prunes (found by mutation testing). */
describe('the dev build: its files, collections, entries and old builds', () => {
  let fixture: FixtureRepo;
  let repo: string;
  const plugin = (path: string) => join(repo, 'packages', 'nx-phases', path);
  const write = (path: string, content: string | object) => fixture.write(`packages/nx-phases/${path}`, content);
  const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

  beforeEach(() => {
    fixture = createFixtureRepo();
    repo = fixture.root;
  });
  afterEach(() => fixture.remove());

  it('builds the top files, src and schemas only, leaving out specs, test-utils, snapshots, node_modules and .d.ts', () => {
    write('schemas/phases.schema.json', { type: 'object' });
    write('README.md', '# not code\n');
    write('tsconfig.spec.json', {});
    write('jest.config.ts', 'export default {};\n');
    write('src/__snapshots__/run.spec.ts.snap', 'exports[`x`] = 1;\n');
    write('src/test-utils/server.ts', 'export const server = 1;\n');
    write('src/node_modules/dep/index.js', 'module.exports = 1;\n');
    write('src/types.d.ts', 'export type A = string;\n');
    write('src/run.spec.mts', 'export {};\n');
    write('src/run.spec.cjs', 'module.exports = {};\n');
    // Templates the plugin writes into apps are code it ships, even when named like a spec or a declaration file.
    write('src/templates/app.spec.ts.template', 'it("works", () => undefined);\n');
    write('src/templates/env.d.ts.template', 'declare const x: string;\n');
    expect(sourceFiles(plugin(''))).toEqual([
      'executors.json',
      'package.json',
      'schemas/phases.schema.json',
      'src/run.ts',
      'src/schema.json',
      'src/templates/app.spec.ts.template',
      'src/templates/env.d.ts.template',
      'src/util.ts',
    ]);
    const dir = createDevBuild(repo).ensureBuilt();
    expect(readFileSync(join(dir, 'schemas/phases.schema.json'), 'utf8')).toBe('{"type":"object"}');
    expect(readFileSync(join(dir, 'src/templates/app.spec.ts.template'), 'utf8')).toBe('it("works", () => undefined);\n');
  });

  it('names a .ts file\'s output by its last extension only, and writes no source map', () => {
    write('src/read.tsconfig.ts', 'export const read = (): number => 1;\n');
    const dir = createDevBuild(repo).ensureBuilt();
    expect(readdirSync(join(dir, 'src')).sort()).toEqual(['read.tsconfig.js', 'run.js', 'schema.json', 'util.js']);
    for (const file of ['run.js', 'read.tsconfig.js']) expect(readFileSync(join(dir, 'src', file), 'utf8')).not.toContain('sourceMappingURL');
    expect(readdirSync(join(dir, 'src')).filter((name) => name.endsWith('.map'))).toEqual([]);
  });

  it('is a new build when a source is renamed with its content unchanged', () => {
    write('src/extra.ts', 'export const extra = 1;\n');
    const devBuild = createDevBuild(repo);
    const first = devBuild.ensureBuilt();
    rmSync(plugin('src/extra.ts'));
    write('src/renamed.ts', 'export const extra = 1;\n');
    const second = devBuild.ensureBuilt();
    expect(second).not.toBe(first);
    expect(existsSync(join(second, 'src/renamed.js'))).toBe(true);
    expect(existsSync(join(second, 'src/extra.js'))).toBe(false);
  });

  it('is a new build when text moves from one compiler input to the next (each file is keyed by its name)', () => {
    const lib = '{"extends":"./tsconfig.json","include":["src/**/*.ts"],"compilerOptions":{"removeComments":true}}';
    write('tsconfig.json', '{"extends":"../../tsconfig.base.json"}//');
    write('tsconfig.lib.json', lib);
    const devBuild = createDevBuild(repo);
    const first = devBuild.ensureBuilt();
    expect(readFileSync(join(first, 'src/util.js'), 'utf8')).not.toContain('// a comment');
    // The same bytes in the same order, but the comment marker now starts tsconfig.lib.json: its options are gone.
    write('tsconfig.json', '{"extends":"../../tsconfig.base.json"}');
    write('tsconfig.lib.json', `//${lib}`);
    const second = devBuild.ensureBuilt();
    expect(second).not.toBe(first);
    expect(readFileSync(join(second, 'src/util.js'), 'utf8')).toContain('// a comment the compiler keeps');
  });

  it('fails naming packages/nx-phases/tsconfig.lib.json when it cannot be read, and leaves no build', () => {
    rmSync(plugin('tsconfig.lib.json'));
    const devBuild = createDevBuild(repo);
    expect(() => devBuild.ensureBuilt()).toThrow(/^packages\/nx-phases\/tsconfig\.lib\.json: Cannot read file '.*tsconfig\.lib\.json'/);
    expect(readdirSync(devBuild.cacheRoot)).toEqual([]);
  });

  it('rewrites every module field and schema of executors, builders, generators and schematics to the entries and the build', () => {
    write('package.json', { name: 'nx-phases', version: '1.0.0', executors: './executors.json', generators: './generators.json' });
    write('src/next.js-app/generator.ts', "export function app(): string { return 'app'; }\n");
    write('schemas/phases.schema.json', { type: 'object' });
    write('executors.json', {
      executors: {
        run: { implementation: './src/run.ts', batchImplementation: './src/run#batch', hasher: './src/hasher.js', schema: './src/schema.json' },
        esm: { implementation: './src/run.mts', description: 'no schema' },
        gone: null,
      },
      builders: { cjs: { implementation: './src/run.cts', schema: 'src/../schemas/phases.schema.json' } },
    });
    write('generators.json', {
      generators: { app: { factory: './src/next.js-app/generator#app', schema: './schemas/phases.schema.json' } },
      schematics: { old: { factory: 'src/../src/util' } },
    });
    const devBuild = createDevBuild(repo);
    const key = basename(devBuild.ensureBuilt());
    expect(readJson(join(devBuild.cacheRoot, 'executors.json'))).toEqual({
      executors: {
        run: { implementation: './entries/src/run', batchImplementation: './entries/src/run#batch', hasher: './entries/src/hasher', schema: `./${key}/src/schema.json` },
        esm: { implementation: './entries/src/run', description: 'no schema' },
        gone: null,
      },
      builders: { cjs: { implementation: './entries/src/run', schema: `./${key}/src/../schemas/phases.schema.json` } },
    });
    expect(readJson(join(devBuild.cacheRoot, 'generators.json'))).toEqual({
      generators: { app: { factory: './entries/src/next.js-app/generator#app', schema: `./${key}/schemas/phases.schema.json` } },
      schematics: { old: { factory: './entries/src/../src/util' } },
    });
    const entry = join(devBuild.cacheRoot, 'entries', 'src', 'next.js-app', 'generator.js');
    const loader = relative(dirname(entry), join(__dirname, 'load.js'));
    expect(readFileSync(entry, 'utf8')).toBe(
      '// Generated by tools/dev-plugin/build.js: src/next.js-app/generator from the build of the current sources.\n' +
        `module.exports = require(${JSON.stringify(loader)})(${JSON.stringify(repo)}, "src/next.js-app/generator.js");\n`,
    );
    let loaded: { app: () => string } | undefined;
    jest.isolateModules(() => (loaded = require(entry)));
    expect(loaded!.app()).toBe('app');
    jest.isolateModules(() => expect(require(join(devBuild.cacheRoot, 'entries', 'src', 'util.js')).label('x')).toBe('version x'));
  });

  it('rewrites a generated file only when its content changes (its mtime is kept otherwise)', () => {
    const devBuild = createDevBuild(repo);
    const first = devBuild.ensureBuilt();
    const entry = join(devBuild.cacheRoot, 'entries', 'src', 'run.js');
    const collection = join(devBuild.cacheRoot, 'executors.json');
    const old = new Date('2020-01-01T00:00:00Z');
    for (const file of [entry, collection]) utimesSync(file, old, old);
    write('src/util.ts', 'export const label = (v: string): string => `v${v}`;\n');
    const second = devBuild.ensureBuilt();
    expect(second).not.toBe(first);
    expect(statSync(entry).mtimeMs).toBe(old.getTime());
    expect(readJson(collection).executors.run.schema).toBe(`./${basename(second)}/src/schema.json`);
    expect(statSync(collection).mtimeMs).not.toBe(old.getTime());
  });

  it('removes the oldest builds by time beyond the three kept, and nothing in the cache that is not a build', () => {
    const devBuild = createDevBuild(repo);
    const dirs: string[] = [];
    for (let version = 1; version <= 5; version++) {
      write('src/util.ts', `export const label = (v: string): string => \`version \${v} (${version})\`;\n`);
      dirs.push(devBuild.ensureBuilt());
      if (version === 4) {
        // Times out of creation order: the second build is the oldest; two folders that are not builds older still.
        const at = (seconds: number) => new Date(Date.UTC(2020, 0, 1, 0, 0, seconds));
        const others = ['backup-0123456789abcdef', '0123456789abcdef.old', '0123456789abcdef0123'].map((name) => join(devBuild.cacheRoot, name));
        for (const other of others) mkdirSync(other);
        for (const [dir, seconds] of [[dirs[0], 40], [dirs[1], 10], [dirs[2], 30], [dirs[3], 20], [others[0], 1], [others[1], 2], [others[2], 3]] as const) utimesSync(dir, at(seconds), at(seconds));
      }
    }
    expect(dirs.map((dir) => existsSync(dir))).toEqual([true, false, true, true, true]);
    for (const name of ['backup-0123456789abcdef', '0123456789abcdef.old', '0123456789abcdef0123']) expect(existsSync(join(devBuild.cacheRoot, name))).toBe(true);
  });

  it('builds into an empty folder left where the build goes, and refuses a partial one', () => {
    const devBuild = createDevBuild(repo);
    const dir = devBuild.ensureBuilt();
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    expect(devBuild.ensureBuilt()).toBe(dir);
    expect(readFileSync(join(dir, 'src/run.js'), 'utf8')).toContain("(0, util_1.label)('1')");
    rmSync(join(dir, 'package.json'));
    expect(() => devBuild.ensureBuilt()).toThrow(/ENOTEMPTY|EEXIST/);
  });

  it('uses the build another process renamed into place first', () => {
    const real = join(repo, 'node_modules/typescript/index.js');
    renameSync(real, join(repo, 'node_modules/typescript/real.js'));
    const race = join(repo, 'race.json');
    // Our TypeScript: on the first transpile, while a race is set up, "another process" finishes the same build.
    fixture.write(
      'node_modules/typescript/index.js',
      `const fs = require('node:fs');\nconst real = require('./real.js');\nmodule.exports = { ...real, transpileModule(source, options) {\n` +
        `  if (fs.existsSync(${JSON.stringify(race)})) { const { from, to } = JSON.parse(fs.readFileSync(${JSON.stringify(race)}, 'utf8')); fs.rmSync(${JSON.stringify(race)}); fs.cpSync(from, to, { recursive: true }); }\n` +
        `  return real.transpileModule(source, options);\n} };\n`,
    );
    const devBuild = createDevBuild(repo);
    const dir = devBuild.ensureBuilt();
    const aside = join(repo, 'other-build');
    cpSync(dir, aside, { recursive: true });
    fixture.write('packages/nx-phases/src/theirs.txt', 'x'); // not a source: marks the other process's build
    cpSync(plugin('src/theirs.txt'), join(aside, 'src/theirs.txt'));
    rmSync(plugin('src/theirs.txt'));
    rmSync(dir, { recursive: true });
    fixture.write('race.json', { from: aside, to: dir });
    expect(devBuild.ensureBuilt()).toBe(dir);
    expect(existsSync(race)).toBe(false);
    expect(readFileSync(join(dir, 'src/theirs.txt'), 'utf8')).toBe('x');
    expect(readdirSync(devBuild.cacheRoot).filter((name) => name.startsWith('.building-'))).toEqual([]);
  });
});
