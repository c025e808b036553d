import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { terminateGroup } from './process-group';

/** How much of the end of stderr a failure message quotes. */
export const STDERR_TAIL_BYTES = 4096;

/** Stdin errors that only mean the program did not read its input. */
const IGNORED_STDIN_ERRORS = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/** How to run one phase's command. */
export interface RunCommandOptions {
  /** Shell string, run as `/bin/sh -c <command>`. */
  command: string;
  /** A program and arguments the shell runs under (the sandbox's `bwrap …`); none runs `/bin/sh` directly. */
  wrapper?: string[];
  /** Files opened read-only and given to the program as fds 3, 4, … (the sandbox's seccomp program). */
  fds?: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to the program's stdin (then closed). */
  input: string;
  timeoutMs: number;
  /** Who is running, for messages: `Phase 3 "Auth"`. */
  label: string;
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL when the process group is stopped. */
  killGraceMs?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** A command that exited non-zero, died of a signal, timed out or was cancelled. */
export class CommandFailedError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'CommandFailedError';
  }
}

/**
 * Runs the command in its own process group, streaming its output, and resolves when it exits 0.
 * Whatever the outcome, no process of the group outlives the call.
 */
export async function runCommand(options: RunCommandOptions): Promise<void> {
  const { label, timeoutMs, signal, killGraceMs = 2000 } = options;
  if (signal?.aborted) throw new CommandFailedError(`${label}: cancelled before the command started.`, '');
  const [program, ...args] = [...(options.wrapper ?? []), '/bin/sh', '-c', options.command];
  const extra = (options.fds ?? []).map((file) => openSync(file, 'r'));
  let child: ChildProcessByStdio<Writable, Readable, Readable>;
  try {
    child = spawn(program, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe', ...extra] }) as ChildProcessByStdio<
      Writable,
      Readable,
      Readable
    >;
  } finally {
    for (const fd of extra) closeSync(fd);
  }
  const tail = new TailBuffer(STDERR_TAIL_BYTES);
  const streamsClosed = Promise.all([once(child.stdout, 'close'), once(child.stderr, 'close')]).catch(() => undefined);
  child.stdout.on('data', (chunk: Buffer) => (options.stdout ?? process.stdout).write(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    (options.stderr ?? process.stderr).write(chunk);
    tail.push(chunk);
  });
  let stdinError: Error | undefined;
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (!IGNORED_STDIN_ERRORS.has(error.code ?? '')) stdinError = error;
  });
  child.stdin.end(options.input);

  let stopReason: string | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    if (stopReason !== undefined || child.pid === undefined) return;
    stopReason = reason;
    stopping = terminateGroup(child.pid, killGraceMs);
  };
  const timer = setTimeout(() => stop(`timed out after ${timeoutMs} ms`), timeoutMs);
  const onAbort = () => stop('was cancelled');
  signal?.addEventListener('abort', onAbort, { once: true });

  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await exitOf(child, label, program);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  await (stopping ?? terminateGroup(child.pid as number, killGraceMs));
  await Promise.race([streamsClosed, new Promise((resolve) => setTimeout(resolve, 1000))]);
  child.stdout.destroy();
  child.stderr.destroy();

  const outcome = stopReason !== undefined ? `the command ${stopReason}; its process group was stopped.` : exitProblem(exit);
  if (outcome !== undefined) throw new CommandFailedError(failureMessage(options, outcome, tail.text()), tail.text());
  if (stdinError) throw new CommandFailedError(`${label}: writing the phase JSON to the command's stdin failed (${stdinError.message}).`, tail.text());
}

function exitOf(child: ReturnType<typeof spawn>, label: string, program: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) =>
      reject(new Error(`${label}: could not start ${program} (${error.message}). Check that the snapshot folder exists and ${program} is installed.`)),
    );
  });
}

function exitProblem(exit: { code: number | null; signal: NodeJS.Signals | null }): string | undefined {
  if (exit.signal !== null) return `the command was killed by ${exit.signal}.`;
  if (exit.code !== 0) return `the command exited with code ${exit.code}.`;
  return undefined;
}

function failureMessage(options: RunCommandOptions, outcome: string, stderrTail: string): string {
  const hint = outcome.includes('timed out')
    ? `Raise "timeoutMs" (now ${options.timeoutMs}) in the phase's generator options, or make the command finish sooner.`
    : 'Run the command by hand to debug it: it gets the phase as JSON on stdin and in $NX_PHASES_CONTEXT_FILE.';
  const quoted = stderrTail.trim() === '' ? '(the command wrote nothing to stderr)' : `Last stderr:\n${stderrTail.trimEnd()}`;
  return `${options.label}: ${outcome} ${hint}\n${quoted}`;
}

/** Keeps the last `limit` bytes written to it. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;

  constructor(private readonly limit: number) {}

  /** Appends a chunk, dropping the oldest bytes beyond the limit. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > this.limit) {
      const joined = Buffer.concat(this.chunks);
      this.chunks = [joined.subarray(joined.length - this.limit)];
      this.size = this.limit;
      this.truncated = true;
    }
  }

  /** The kept bytes as UTF-8, prefixed with "…" when older output was dropped. */
  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf-8');
    return this.truncated ? `…${text}` : text;
  }
}
