import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sleep } from '../rate-limit/sleep';
import { TempWorkspace } from '../../test-utils/temp-workspace';

const WORKER = join(__dirname, 'test-utils', 'batch-worker.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real child processes on a possibly busy machine: the only time compared is one worker's against another's.
jest.setTimeout(120_000);

interface Worker {
  child: ChildProcess;
  messages: Array<{ type: string; task?: string; results?: Record<string, { status: string }> }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Forks the batch worker with an IPC channel, as Nx does, and asks it to run `phases` of `apps/app/phases.json`. */
async function startWorker(ws: TempWorkspace, phases: number[], env: NodeJS.ProcessEnv = {}): Promise<Worker> {
  const child = fork(WORKER, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const messages: Worker['messages'] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) => child.on('exit', (code, signal) => done({ code, signal, at: Date.now() })));
  const ready = new Promise<void>((done) => child.on('message', (message: Worker['messages'][number]) => (message.type === 'ready' ? done() : messages.push(message))));
  await ready;
  child.send({ type: 'run', root: ws.root, tasks: phases.map((n) => ({ id: `app-${n}:phase`, plan: 'apps/app/phases.json', phase: n, dependencies: [] })) });
  return { child, messages, exited };
}

async function until(what: string, condition: () => boolean, worker: Worker): Promise<void> {
  let gone = false;
  void worker.exited.then(() => (gone = true));
  while (!condition()) {
    if (gone) throw new Error(`The worker exited before ${what}.`);
    await sleep(20);
  }
}

describe('a batch worker at the end of its batch', () => {
  let ws: TempWorkspace;
  const workers: ChildProcess[] = [];

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.installGenerators({
      quick: `for (const file of options.phase.plannedFiles) tree.write(file, 'phase ' + options.phase.number);`,
      // Holds until the test ends it: a phase still running when SIGTERM arrives (it ignores the abort signal).
      stuck: `fs.writeFileSync(path.join(process.env.GATE_DIR, 'started'), ''); await new Promise(() => undefined);`,
    });
    ws.write('gates/.keep', '');
    ws.write('apps/app/phases.json', {
      name: 'app',
      generator: 'test-gens:quick',
      phases: [
        { number: 1, name: 'One', plannedFiles: ['src/one.ts'] },
        { number: 2, name: 'Two', plannedFiles: ['src/two.ts'] },
        { number: 3, name: 'Stuck', plannedFiles: ['src/stuck.ts'], generator: 'test-gens:stuck' },
      ],
    });
  });
  afterEach(() => {
    for (const child of workers.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    ws.dispose();
  });

  it('exits by itself, code 0, right after sending the batch results (Nx never stops it before the end of the whole run)', async () => {
    const worker = await startWorker(ws, [1, 2]);
    workers.push(worker.child);
    const { code, signal } = await worker.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(worker.messages.map((m) => m.type)).toEqual(['completeTask', 'completeTask', 'completeBatchExecution']);
    const results = worker.messages[2].results!;
    expect(Object.fromEntries(Object.entries(results).map(([task, result]) => [task, result.status]))).toEqual({ 'app-1:phase': 'success', 'app-2:phase': 'success' });
    expect(ws.read('apps/app/src/two.ts')).toBe('phase 2');
  });

  it('on SIGTERM exits at once when no phase is running, while a running phase gets the grace period', async () => {
    const gateDir = join(ws.root, 'gates');
    const idle = await startWorker(ws, [1], { HOLD_CHANNEL: '1' });
    const busy = await startWorker(ws, [3], { GATE_DIR: gateDir });
    workers.push(idle.child, busy.child);
    await until('the batch ended', () => idle.messages.some((m) => m.type === 'completeBatchExecution'), idle);
    await until('the stuck phase started', () => existsSync(join(gateDir, 'started')), busy);
    const sentIdle = Date.now();
    idle.child.kill('SIGTERM');
    const idleExit = await idle.exited;
    const sentBusy = Date.now();
    busy.child.kill('SIGTERM');
    const busyExit = await busy.exited;
    expect([idleExit.code, busyExit.code]).toEqual([143, 143]);
    // The busy worker waits out the grace period (5 s); the idle one must not: a ratio within this test, not a limit.
    expect((idleExit.at - sentIdle) / (busyExit.at - sentBusy)).toBeLessThan(0.5);
  });
});
