import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** What a finished child process printed, and its exit code. */
export interface ChildOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TSCONFIG = resolve(__dirname, '../../tsconfig.spec.json');

/** Node's arguments that run a TypeScript script of the specs (transpiled, not type-checked) with `args`. */
export function tsScriptArgs(script: string, args: string[] = []): string[] {
  return ['-r', require.resolve('ts-node/register/transpile-only'), script, ...args];
}

/** The environment a TypeScript child needs (this package's spec tsconfig), on top of the test's own. */
export function tsChildEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TS_NODE_PROJECT: TSCONFIG };
}

/** Collects a child's stdout and stderr (both piped) until it closes. */
export function childOutput(child: ChildProcess): Promise<ChildOutput> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}
