/**
 * A child process for the task-output tests: `task-output-child.ts <scenario>` installs the batch worker's output
 * routing as a batch does and plays one scenario, printing `RESULT <json>` lines outside any task:
 * - `twice`: routing installed twice (two batches in one worker), then a task whose timer throws;
 * - `unprintable`: a task whose timer throws a value that cannot be turned into text;
 * - `outside`: an error thrown from a timer outside any task; the worker goes on and prints `RESULT "alive"`;
 * - `broken-stdout`: waits for `go` on stdin (sent once the test has closed its end of stdout), then writes to
 *   stdout and waits for that stream to close, then writes `alive` to stderr.
 */
import { installTaskOutputRouting, runWithTaskOutput } from '../task-output';

/** A task whose async work throws `value` from a timer and never settles: only the escape handling ends it. */
function escapingTask(value: () => unknown): () => Promise<boolean> {
  return async () => {
    setTimeout(() => {
      throw value();
    }, 1);
    return new Promise<boolean>(() => undefined);
  };
}

async function main(scenario: string): Promise<void> {
  installTaskOutputRouting();
  if (scenario === 'twice') {
    installTaskOutputRouting();
    process.stdout.write(`RESULT ${JSON.stringify(await runWithTaskOutput(escapingTask(() => new Error('bomb in the second batch'))))}\n`);
  } else if (scenario === 'unprintable') {
    process.stdout.write(`RESULT ${JSON.stringify(await runWithTaskOutput(escapingTask(() => Object.create(null))))}\n`);
  } else if (scenario === 'outside') {
    const handled = new Promise<void>((done) => process.on('uncaughtException', () => done()));
    setTimeout(() => {
      throw new Error(`outside any task, key ${process.env.OPENAI_API_KEY}`);
    }, 1);
    await handled;
    process.stdout.write('RESULT "alive"\n');
  } else if (scenario === 'broken-stdout') {
    process.stdin.setEncoding('utf8');
    for await (const chunk of process.stdin) if (String(chunk).includes('go')) break;
    // Not events.once: it would add an 'error' listener of its own.
    const closed = new Promise<void>((done) => process.stdout.once('close', () => done()));
    process.stdout.write('nobody reads this\n');
    await closed;
    process.stderr.write('alive\n');
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }
  process.exit(0);
}

void main(process.argv[2]);
