import { cpSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_VERSION, codeContentHash, codeFiles } from './code-version';
import { PLUGIN_VERSION } from './constants';
import { TempWorkspace } from './test-utils/temp-workspace';

describe('code version', () => {
  let ws: TempWorkspace;
  const writePackage = (root: string) => {
    ws.write(`${root}/package.json`, { name: 'nx-phases', version: '1.2.3' });
    ws.write(`${root}/executors.json`, { executors: {} });
    ws.write(`${root}/schemas/phases.schema.json`, { type: 'object' });
    ws.write(`${root}/src/index.js`, 'module.exports = 1;\n');
    ws.write(`${root}/src/generators/scaffold/templates/setup.js`, 'exports.t = "shell";\n');
    ws.write(`${root}/src/index.spec.ts`, 'test');
    ws.write(`${root}/src/index.d.ts`, 'export {};');
    ws.write(`${root}/src/plugin/__snapshots__/a.snap`, 'snap');
    ws.write(`${root}/src/generators/scaffold/test-utils/shop.js`, 'helper');
    ws.write(`${root}/jest.config.js`, 'config');
  };

  beforeEach(() => {
    ws = new TempWorkspace();
    writePackage('a/nx-phases');
  });
  afterEach(() => ws.dispose());

  it('covers what runs (package files, schemas, src) and skips tests and declarations', () => {
    expect(codeFiles(join(ws.root, 'a/nx-phases'))).toEqual([
      'executors.json',
      'package.json',
      'schemas/phases.schema.json',
      'src/generators/scaffold/templates/setup.js',
      'src/index.js',
    ]);
  });

  it('is the same at another path and with other file times (a second clone, another machine)', () => {
    const here = codeContentHash(join(ws.root, 'a/nx-phases'));
    cpSync(join(ws.root, 'a'), join(ws.root, 'elsewhere/deeper'), { recursive: true });
    const later = new Date(Date.now() + 3_600_000);
    for (const file of codeFiles(join(ws.root, 'elsewhere/deeper/nx-phases'))) utimesSync(join(ws.root, 'elsewhere/deeper/nx-phases', file), later, later);
    expect(codeContentHash(join(ws.root, 'elsewhere/deeper/nx-phases'))).toBe(here);
  });

  it('changes when the content of code that runs changes, not when a test changes', () => {
    const root = join(ws.root, 'a/nx-phases');
    const before = codeContentHash(root);
    writeFileSync(join(root, 'src/index.spec.ts'), 'another test');
    expect(codeContentHash(root)).toBe(before);
    writeFileSync(join(root, 'src/generators/scaffold/templates/setup.js'), 'exports.t = "new shell";\n');
    expect(codeContentHash(root)).not.toBe(before);
  });

  it('is the package version plus the content hash of this package, with no time in it', () => {
    expect(CODE_VERSION).toBe(`${PLUGIN_VERSION}+${codeContentHash(join(__dirname, '..'))}`);
    expect(CODE_VERSION).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{16}$/);
  });
});
