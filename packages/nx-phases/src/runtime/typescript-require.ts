import { readFileSync } from 'node:fs';

type CompileModule = { _compile(code: string, filename: string): void };
type Extensions = Record<string, ((module: CompileModule, filename: string) => void) | undefined>;

/**
 * Lets `require` load a TypeScript generator (a local plugin's source, as `nx g` allows) by transpiling it
 * with the workspace's `typescript`. Does nothing when a `.ts` loader is already registered.
 */
export function ensureTypeScriptRequire(workspaceRoot: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extensions = require('node:module').Module._extensions as Extensions;
  if (extensions['.ts']) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require(require.resolve('typescript', { paths: [workspaceRoot, __dirname] })) as typeof import('typescript');
  extensions['.ts'] = (module, filename) => {
    const output = ts.transpileModule(readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, jsx: ts.JsxEmit.ReactJSX },
    });
    module._compile(output.outputText, filename);
  };
}
