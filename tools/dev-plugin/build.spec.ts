import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { codeFiles } from '../../packages/nx-phases/src/code-version';
import { createDevBuild, sourceFiles } from './build';

describe('the dev build (this repo runs the plugin compiled, never stale)', () => {
  let repo: string;
  const write = (path: string, content: string | object) => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), typeof content === 'string' ? content : JSON.stringify(content));
  };
  const entry = (devBuild: ReturnType<typeof createDevBuild>, name: string) => {
    const file = join(devBuild.cacheRoot, 'entries', 'src', `${name}.js`);
    let loaded: { default: () => string } | undefined;
    jest.isolateModules(() => (loaded = require(file))); // each task process requires an entry once; a test re-requires it
    return loaded!;
  };

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'nx-phases-dev-build-'));
    write('tsconfig.base.json', { compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true, strict: true } });
    write('packages/nx-phases/tsconfig.json', { extends: '../../tsconfig.base.json' });
    write('packages/nx-phases/tsconfig.lib.json', { extends: './tsconfig.json', include: ['src/**/*.ts'] });
    write('packages/nx-phases/package.json', { name: 'nx-phases', version: '1.0.0', executors: './executors.json' });
    write('packages/nx-phases/executors.json', { executors: { run: { implementation: './src/run', schema: './src/schema.json' } } });
    write('packages/nx-phases/src/schema.json', { type: 'object' });
    write('packages/nx-phases/src/util.ts', 'export const label = (v: string): string => `version ${v}`;\n');
    write('packages/nx-phases/src/run.ts', "import { label } from './util';\nexport default function run(): string { return label('1'); }\n");
    write('packages/nx-phases/src/run.spec.ts', '// a test file of the plugin: the dev build must leave it out\nexport {};\n');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

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

  it('runs an edited source at once: a new build for the new content, the unchanged file carried over', () => {
    const devBuild = createDevBuild(repo);
    const first = devBuild.ensureBuilt();
    expect(entry(devBuild, 'run').default()).toBe('version 1');
    write('packages/nx-phases/src/run.ts', "import { label } from './util';\nexport default function run(): string { return label('2'); }\n");
    expect(entry(devBuild, 'run').default()).toBe('version 2');
    const second = devBuild.ensureBuilt();
    expect(second).not.toBe(first);
    expect(readFileSync(join(second, 'src/util.js'), 'utf8')).toBe(readFileSync(join(first, 'src/util.js'), 'utf8'));
    write('packages/nx-phases/src/run.ts', "import { label } from './util';\nexport default function run(): string { return label('1'); }\n");
    expect(devBuild.ensureBuilt()).toBe(first);
  });

  it('keys builds by content only: the same sources in another clone get the same build name', () => {
    const here = createDevBuild(repo).ensureBuilt().split('/').pop();
    const other = mkdtempSync(join(tmpdir(), 'nx-phases-dev-build-clone-'));
    try {
      for (const file of ['tsconfig.base.json', 'packages/nx-phases/tsconfig.json', 'packages/nx-phases/tsconfig.lib.json', 'packages/nx-phases/package.json', 'packages/nx-phases/executors.json', 'packages/nx-phases/src/schema.json', 'packages/nx-phases/src/util.ts', 'packages/nx-phases/src/run.ts']) {
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
