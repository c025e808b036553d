import { AsyncLocalStorage } from 'node:async_hooks';
import { BoundedOutput, chunkBytes, outputLimitBytes } from '../output-limit';
import { redactSecrets } from '../redact';

/** Where the output written while one task runs goes (bounded: see `BoundedOutput`), and how an error escaping that task fails it. */
interface TaskSink {
  head: Buffer[];
  output: BoundedOutput<null>;
  fail(error: unknown): void;
}

const sinks = new AsyncLocalStorage<TaskSink>();
let installed = false;

/**
 * Routes every `process.stdout` / `process.stderr` write made on behalf of a task (its own code, listr2, console,
 * a child process's piped output: anything in the task's async context) into that task's output instead of the
 * shared streams, and turns an uncaught exception or unhandled rejection inside a task into that task's
 * failure instead of the worker's death. Installed once per process; writes outside any task pass through, and
 * errors of the shared streams themselves (a broken pipe once nx is gone) are dropped.
 */
export function installTaskOutputRouting(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    routeWrites(stream);
    // A broken pipe (nx gone) must not become an uncaught exception whose report fails again, forever.
    stream.on('error', () => undefined);
  }
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
}

/**
 * Runs one task with its output captured (see `installTaskOutputRouting`). Resolves with the task's success, or
 * false when it rejects or an error escapes its async work (then `failed`, passed to the task, aborts: the task's
 * work still running must stop and commit nothing), and with what it wrote: all of it up to `limit` bytes, else its
 * first and last half of the limit with a note saying how much was dropped between them.
 */
export async function runWithTaskOutput(task: (failed: AbortSignal) => Promise<boolean>, limit: number = outputLimitBytes()): Promise<{ success: boolean; output: string }> {
  const head: Buffer[] = [];
  const failed = new AbortController();
  const sink: TaskSink = { head, output: new BoundedOutput<null>(limit, (chunk) => head.push(chunk.data)), fail: () => undefined };
  const success = await new Promise<boolean>((resolve) => {
    sink.fail = (error) => {
      sink.output.write(null, Buffer.from(`${redactSecrets(describeError(error))}\n`));
      failed.abort(error);
      resolve(false);
    };
    sinks.run(sink, () => task(failed.signal).then(resolve, sink.fail));
  });
  const { note, tail } = sink.output.finish();
  const output = Buffer.concat(head).toString('utf8') + note + Buffer.concat(tail.map((chunk) => chunk.data)).toString('utf8');
  return { success, output };
}

function routeWrites(stream: NodeJS.WriteStream): void {
  const write = stream.write;
  stream.write = function routedWrite(this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const sink = sinks.getStore();
    if (!sink) return (write as (...args: unknown[]) => boolean).call(this, chunk, encoding, callback);
    sink.output.write(null, chunkBytes(chunk, encoding));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  } as typeof stream.write;
}

function escaped(error: unknown): void {
  const sink = sinks.getStore();
  if (sink) sink.fail(error);
  else process.stderr.write(`nx-phases batch: an error escaped outside any phase (the phases go on): ${redactSecrets(errorText(error))}\n`);
}

function describeError(error: unknown): string {
  return `nx-phases: an error escaped the phase, so it failed: ${errorText(error)}`;
}

/** The error's message as text; a value that throws when read (no `toString`, a throwing getter) must not kill the worker. */
function errorText(error: unknown): string {
  try {
    return String(error instanceof Error ? error.message : error);
  } catch {
    return 'a value that cannot be turned into text';
  }
}
