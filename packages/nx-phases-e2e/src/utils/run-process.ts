import { spawnSync } from 'node:child_process';

/** What a finished child process left behind. */
export interface ProcessResult {
  /** The command line, for messages. */
  commandLine: string;
  cwd: string;
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr, for assertions that do not care which stream a line went to. */
  output: string;
  durationMs: number;
}

/** How to run a child process. */
export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

/** Runs a program to completion (no shell), capturing its output; throws with the full output when it fails. */
export function runProcess(command: string, args: string[], options: RunOptions): ProcessResult {
  const started = Date.now();
  const child = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs ?? 300_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: ProcessResult = {
    commandLine: [command, ...args].join(' '),
    cwd: options.cwd,
    status: child.status,
    stdout: child.stdout ?? '',
    stderr: child.stderr ?? '',
    output: `${child.stdout ?? ''}\n${child.stderr ?? ''}`,
    durationMs: Date.now() - started,
  };
  if (child.error) throw new Error(`${describeProcess(result)}\n${child.error.message}`);
  if (result.status !== 0 && !options.allowFailure) throw new Error(`Command failed.\n${describeProcess(result)}`);
  return result;
}

/** A readable account of a process run (command, cwd, exit code, output tail) for failure messages. */
export function describeProcess(result: ProcessResult, maxChars = 12_000): string {
  const output = result.output.length > maxChars ? `…${result.output.slice(-maxChars)}` : result.output;
  return `$ ${result.commandLine}\n  (cwd ${result.cwd}, exit ${result.status}, ${result.durationMs} ms)\n${output}`;
}
