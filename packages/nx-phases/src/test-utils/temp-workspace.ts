import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away folder standing in for an Nx workspace in executor and plugin tests. */
export class TempWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'nx-phases-test-'));

  /** Writes a file (creating folders); objects are written as pretty JSON. */
  write(path: string, content: string | object): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }

  /** Reads a file as UTF-8. */
  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  /** True if the file exists. */
  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  /** Deletes the folder. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * Installs a tiny generator package `test-gens` in the workspace's node_modules whose generators
   * run the given JavaScript bodies `(tree, options, fs, path) => …`, to exercise `pkg:name` resolution.
   */
  installGenerators(bodies: Record<string, string>): void {
    const pkg = 'node_modules/test-gens';
    this.write(`${pkg}/package.json`, { name: 'test-gens', version: '1.0.0', generators: './generators.json' });
    const generators = Object.fromEntries(
      Object.keys(bodies).map((name) => [name, { factory: `./${name}.js`, schema: './schema.json' }]),
    );
    this.write(`${pkg}/generators.json`, { generators });
    this.write(`${pkg}/schema.json`, { type: 'object' });
    for (const [name, body] of Object.entries(bodies)) {
      this.write(
        `${pkg}/${name}.js`,
        `const fs = require('fs'); const path = require('path');\nmodule.exports = async function (tree, options) {\n${body}\n};\n`,
      );
    }
  }
}
