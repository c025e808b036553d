import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listFiles } from '../../command/context-file';

/** The workspace root; temp apps live in its gitignored tmp/ so node resolution finds react and @types/react. */
const WORKSPACE_ROOT = resolve(__dirname, '../../../../../..');

/** Creates temp folders under <workspace>/tmp and removes them all in `cleanup()`. */
export function tempFolders(prefix: string): { create(): string; cleanup(): void } {
  const created: string[] = [];
  return {
    create: () => {
      mkdirSync(join(WORKSPACE_ROOT, 'tmp'), { recursive: true });
      const folder = mkdtempSync(join(WORKSPACE_ROOT, 'tmp', `${prefix}-`));
      created.push(folder);
      return folder;
    },
    cleanup: () => created.forEach((folder) => rmSync(folder, { recursive: true, force: true })),
  };
}

/** Every file below `root` with its content, keyed by sorted relative path. */
export function readTree(root: string): Record<string, string> {
  return Object.fromEntries(listFiles(root).map((file) => [file, readFileSync(join(root, file), 'utf-8')]));
}

/** Runs the workspace's tsc on `<root>/tsconfig.json` with extra flags; resolves to its exit code and output. */
export function typeCheck(root: string, extraFlags: string[] = []): Promise<{ status: number | null; output: string }> {
  const tsc = join(WORKSPACE_ROOT, 'node_modules/.bin/tsc');
  return new Promise((resolve) => {
    execFile(tsc, ['--noEmit', '-p', join(root, 'tsconfig.json'), ...extraFlags], (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}
