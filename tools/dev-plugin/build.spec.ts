import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { codeFiles } from '../../packages/nx-phases/src/code-version';
import { createDevBuild, sourceFiles } from './build';
import { createFixtureRepo, FixtureRepo, RUN_TS } from './test-fixture';

describe('the dev build (this repo runs the plugin compiled, never stale)', () => {
  let fixture: FixtureRepo;
  let repo: string;
  const write = (path: string, content: string | object) => fixture.write(path, content);
  const entry = (devBuild: ReturnType<typeof createDevBuild>, name: string) => {
    const file = join(devBuild.cacheRoot, 'entries', 'src', `${name}.js`);
    let loaded: { default: () => string } | undefined;
    jest.isolateModules(() => (loaded = require(file))); // each task process requires an entry once; a test re-requires it
    return loaded!;
  };

  beforeEach(() => {
    fixture = createFixtureRepo();
    repo = fixture.root;
  });
  afterEach(() => fixture.remove());

  it('builds exactly the files the plugin code version covers', () => {
    const pluginRoot = join(__dirname, '..', '..', 'packages', 'nx-phases');
    expect(sourceFiles(pluginRoot)).toEqual(codeFiles(pluginRoot));
  });

  it('has the root package.json install the plugin (this entry) and its runtime dependencies at the versions it declares', () => {
    const read = (path: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', path), 'utf8'));
    const root = read('package.json');
    const plugin = read('packages/nx-phases/package.json');
    expect(root.devDependencies['nx-phases']).toBe('file:tools/dev-plugin');
    // Plans' "$schema": "…/node_modules/nx-phases/schemas/phases.schema.json" keeps working (schemas is a link).
    expect(existsSync(join(__dirname, '..', '..', 'node_modules', 'nx-phases', 'schemas', 'phases.schema.json'))).toBe(true);
    expect(root.workspaces).not.toContain('packages/nx-phases');
    const runtime = Object.keys(plugin.dependencies).filter((name) => name !== 'tslib');
    expect(Object.fromEntries(runtime.map((name) => [name, root.devDependencies[name]]))).toEqual(Object.fromEntries(runtime.map((name) => [name, plugin.dependencies[name]])));
  });

  it('compiles the sources into a build laid out like the package, and points Nx at entries and schemas in it', () => {
    const devBuild = createDevBuild(repo);
    const dir = devBuild.ensureBuilt();
    expect(readdirSync(join(dir, 'src')).sort()).toEqual(['run.js', 'schema.json', 'util.js']);
    expect(JSON.parse(readFileSync(join(devBuild.cacheRoot, 'executors.json'), 'utf8'))).toEqual({
      executors: { run: { implementation: './entries/src/run', schema: `./${dir.split('/').pop()}/src/schema.json` } },
    });
    expect(entry(devBuild, 'run').default()).toBe('version 1');
    expect(devBuild.ensureBuilt()).toBe(dir);
  });

  it('runs an edited source at once: a new build for the new content, transpiling only the changed file', () => {
    const devBuild = createDevBuild(repo);
    const first = devBuild.ensureBuilt();
    expect(fixture.transpiled()).toEqual(['src/run.ts', 'src/util.ts']);
    expect(entry(devBuild, 'run').default()).toBe('version 1');
    fixture.clearTranspiled();
    write('packages/nx-phases/src/run.ts', RUN_TS('2'));
    expect(entry(devBuild, 'run').default()).toBe('version 2');
    const second = devBuild.ensureBuilt();
    expect(second).not.toBe(first);
    // util.ts did not change: its output is carried over from the first build, not transpiled again.
    expect(fixture.transpiled()).toEqual(['src/run.ts']);
    expect(readFileSync(join(second, 'src/util.js'), 'utf8')).toBe(readFileSync(join(first, 'src/util.js'), 'utf8'));
    fixture.clearTranspiled();
    write('packages/nx-phases/src/run.ts', RUN_TS('1'));
    expect(devBuild.ensureBuilt()).toBe(first);
    expect(fixture.transpiled()).toEqual([]);
  });

  it.each([
    ['tsconfig.base.json', { compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true, strict: true, removeComments: true } }],
    ['packages/nx-phases/tsconfig.json', { extends: '../../tsconfig.base.json', compilerOptions: { removeComments: true } }],
    ['packages/nx-phases/tsconfig.lib.json', { extends: './tsconfig.json', include: ['src/**/*.ts'], compilerOptions: { removeComments: true } }],
  ])('compiles every file anew, into a new build, when %s changes', (file, content) => {
    const devBuild = createDevBuild(repo);
    const first = devBuild.ensureBuilt();
    expect(readFileSync(join(first, 'src/util.js'), 'utf8')).toContain('// a comment the compiler keeps');
    fixture.clearTranspiled();
    write(file, content);
    const second = devBuild.ensureBuilt();
    expect(second).not.toBe(first);
    expect(fixture.transpiled()).toEqual(['src/run.ts', 'src/util.ts']);
    expect(readFileSync(join(second, 'src/util.js'), 'utf8')).not.toContain('// a comment');
    expect(entry(devBuild, 'run').default()).toBe('version 1');
  });

  it('compiles every file anew, into a new build, when the TypeScript version changes', () => {
    const devBuild = createDevBuild(repo);
    const first = devBuild.ensureBuilt();
    fixture.clearTranspiled();
    write('node_modules/typescript/package.json', { name: 'typescript', version: '5.0.1-fixture', main: 'index.js' });
    const second = devBuild.ensureBuilt();
    expect(second).not.toBe(first);
    expect(fixture.transpiled()).toEqual(['src/run.ts', 'src/util.ts']);
    expect(readFileSync(join(second, 'src/util.js'), 'utf8')).toBe(readFileSync(join(first, 'src/util.js'), 'utf8'));
  });

  it('keys builds by content only: the same sources in another clone get the same build name', () => {
    const here = createDevBuild(repo).ensureBuilt().split('/').pop();
    const other = mkdtempSync(join(tmpdir(), 'nx-phases-dev-build-clone-'));
    try {
      for (const file of ['tsconfig.base.json', 'node_modules/typescript/package.json', 'node_modules/typescript/index.js', 'packages/nx-phases/tsconfig.json', 'packages/nx-phases/tsconfig.lib.json', 'packages/nx-phases/package.json', 'packages/nx-phases/executors.json', 'packages/nx-phases/src/schema.json', 'packages/nx-phases/src/util.ts', 'packages/nx-phases/src/run.ts']) {
        mkdirSync(dirname(join(other, file)), { recursive: true });
        writeFileSync(join(other, file), readFileSync(join(repo, file)));
      }
      expect(createDevBuild(other).ensureBuilt().split('/').pop()).toBe(here);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps the current build and the three before it', () => {
    const devBuild = createDevBuild(repo);
    for (let version = 1; version <= 6; version++) {
      write('packages/nx-phases/src/util.ts', `export const label = (v: string): string => \`version \${v} (${version})\`;\n`);
      devBuild.ensureBuilt();
    }
    const builds = readdirSync(devBuild.cacheRoot).filter((name) => /^[0-9a-f]{16}$/.test(name));
    expect(builds).toHaveLength(4);
    expect(existsSync(devBuild.ensureBuilt())).toBe(true);
  });
});
