import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eWorkspace, NxRun } from './e2e-workspace';
import { nxEnv } from './nx-env';
import { parseTaskOutcomes, plansThatAssembled, projectsThatRan } from './nx-output';
import { descendantPids, killAll } from './process-tree';
import { describeProcess, type ProcessResult } from './run-process';

/** An nx command running in the background; `done` settles when it exits. */
export interface RunningNx {
  child: ChildProcess;
  pid: number;
  /** Resolves with the run (rejects on a non-zero exit unless `allowFailure`). */
  done: Promise<NxRun>;
}

/** Options of a background nx run. */
export interface AsyncNxOptions {
  env?: NodeJS.ProcessEnv;
  allowFailure?: boolean;
  /** SIGKILL nx and its task processes after this long (default 180 s), so a hung run cannot outlive the suite. */
  killAfterMs?: number;
}

/**
 * Starts `nx <args>` in `workspace` without blocking the event loop (unlike `workspace.nx`, which
 * uses spawnSync), so an HTTP server in the test process keeps answering while Nx runs.
 */
export function startNx(workspace: E2eWorkspace, args: string[], options: AsyncNxOptions = {}): RunningNx {
  const started = Date.now();
  const child = spawn(process.execPath, [nxBin(workspace.root), ...args], {
    cwd: workspace.root,
    env: nxEnv({ HOME: workspace.home, ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  const guard = setTimeout(() => killProcessTree(child.pid!), options.killAfterMs ?? 180_000);
  const done = new Promise<NxRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(guard);
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      const result: ProcessResult = {
        commandLine: ['nx', ...args].join(' '),
        cwd: workspace.root,
        status: status ?? (signal ? 128 : null),
        stdout: out,
        stderr: err,
        output: `${out}\n${err}`,
        durationMs: Date.now() - started,
      };
      const outcomes = parseTaskOutcomes(result.output);
      const run: NxRun = { ...result, outcomes, ran: projectsThatRan(outcomes), assembled: plansThatAssembled(result.output) };
      if (status !== 0 && !options.allowFailure) reject(new Error(`Command failed (signal ${signal}).\n${describeProcess(result)}`));
      else resolve(run);
    });
  });
  return { child, pid: child.pid!, done };
}

/** `nx run-many -t phase --outputStyle=static <extraArgs>` in the background, awaited. */
export function runPhasesAsync(workspace: E2eWorkspace, extraArgs: string[], options: AsyncNxOptions = {}): Promise<NxRun> {
  return startNx(workspace, ['run-many', '-t', 'phase', '--outputStyle=static', ...extraArgs], options).done;
}

/** SIGKILLs nx's task processes, then nx itself (children first, so none is orphaned). */
export function killProcessTree(pid: number): void {
  killAll([...descendantPids(pid).reverse(), pid]);
}

/** The nx CLI entry point installed in a workspace (read from nx's package.json `bin`). */
function nxBin(root: string): string {
  const packageJson = JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8')) as { bin: { nx: string } };
  return join(root, 'node_modules', 'nx', packageJson.bin.nx);
}
