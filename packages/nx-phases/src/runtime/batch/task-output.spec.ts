import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const CHILD = join(__dirname, 'test-utils', 'task-output-child.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');
const KEY = 'sk-task-output-spec-0123456789abcdef';

// Real child processes on a possibly busy machine: no timing assertions; every wait is an event of the child.
jest.setTimeout(120_000);

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the task-output child on `scenario` (see test-utils/task-output-child.ts); `beforeGo` runs before `go` is sent on its stdin. */
function runChild(scenario: string, beforeGo: (child: ReturnType<typeof spawn>) => void = () => undefined): Promise<Ended> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, scenario], {
    env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, OPENAI_API_KEY: KEY },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdin!.on('error', () => undefined); // a child that never reads stdin may exit before `go` arrives
  const ended = new Promise<Ended>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  try {
    beforeGo(child);
    child.stdin!.end('go\n');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return ended;
}

const results = (stdout: string): unknown[] => stdout.split('\n').filter((line) => line.startsWith('RESULT ')).map((line) => JSON.parse(line.slice('RESULT '.length)));

describe('task output routing in a real batch worker process', () => {
  it('reports an error escaping a task once, also when a second batch in the same worker installs the routing again', async () => {
    const ended = await runChild('twice');
    expect(ended).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
    expect(results(ended.stdout)).toEqual([{ success: false, output: 'nx-phases: an error escaped the phase, so it failed: bomb in the second batch\n' }]);
  });

  it('fails the task, and keeps the worker alive, when its async work throws a value that cannot be turned into text', async () => {
    const ended = await runChild('unprintable');
    expect(ended).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
    expect(results(ended.stdout)).toEqual([{ success: false, output: 'nx-phases: an error escaped the phase, so it failed: a value that cannot be turned into text\n' }]);
  });

  it('prints an error escaping outside any task on stderr, secrets redacted, and the worker goes on', async () => {
    const ended = await runChild('outside');
    expect(ended).toEqual({
      code: 0,
      stdout: 'RESULT "alive"\n',
      stderr: 'nx-phases batch: an error escaped outside any phase (the phases go on): outside any task, key ***\n',
    });
  });

  it('drops the error of a broken stdout pipe (nx gone) without a word, and the worker goes on', async () => {
    const ended = await runChild('broken-stdout', (child) => child.stdout!.destroy());
    expect(ended).toEqual({ code: 0, stdout: '', stderr: 'alive\n' });
  });
});
