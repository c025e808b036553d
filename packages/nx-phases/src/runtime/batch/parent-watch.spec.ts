import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sleep } from '../rate-limit/sleep';
import { TempWorkspace } from '../../test-utils/temp-workspace';

const CHILD = join(__dirname, 'test-utils', 'parent-watch-child.ts');
const PARENT = join(__dirname, 'test-utils', 'parent-watch-parent.js');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real processes on a possibly busy machine: every wait below is a gate (a file appears, a pid is gone), never a time.
jest.setTimeout(120_000);

interface Ready {
  pid: number;
  ppid: number;
  disconnectListeners: number;
}

/** True while `pid` is a live process (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Set when a test ends, so a poll of a test that failed (timed out) stops instead of keeping Jest alive. */
let testOver = false;

/** Polls until `condition` holds (the test's own timeout is the only bound). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) {
    if (testOver) throw new Error('The test ended before the condition held.');
    await sleep(20);
  }
}

describe('exitWhenParentGone (a batch worker exits, cancelling its phases, when the nx process that started it is gone)', () => {
  let ws: TempWorkspace;
  let report: string;
  const pids: number[] = [];
  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, TS_NODE_PROJECT: TSCONFIG, REPORT: report, TEST_PID: String(process.pid), ...extra });
  const readReady = (): Ready => JSON.parse(readFileSync(`${report}.ready`, 'utf8'));
  const outcome = () => ({ exit: readFileSync(`${report}.exit`, 'utf8'), reason: readFileSync(`${report}.reason`, 'utf8') });

  /** Starts a stand-in nx process that starts the watched worker; returns both once the worker's watch is installed. */
  async function startUnderParent(ipc: boolean): Promise<{ parent: ChildProcess; worker: Ready }> {
    const parent = spawn(process.execPath, [PARENT], { env: env({ IPC: ipc ? '1' : '0' }), stdio: 'ignore' });
    pids.push(parent.pid!);
    await until(() => existsSync(`${report}.ready`));
    const worker = readReady();
    pids.push(worker.pid);
    return { parent, worker };
  }

  beforeEach(() => {
    testOver = false;
    ws = new TempWorkspace();
    report = join(ws.root, 'report');
  });
  afterEach(() => {
    testOver = true;
    for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    ws.dispose();
  });

  it('forked with an IPC channel: the nx process killed (SIGKILL), the worker cancels its phases and exits with code 1', async () => {
    const { parent, worker } = await startUnderParent(true);
    expect(worker.ppid).toBe(parent.pid);
    parent.kill('SIGKILL');
    await until(() => existsSync(`${report}.exit`));
    await until(() => !alive(worker.pid));
    const { exit, reason } = outcome();
    expect(exit).toBe('1');
    // The channel closing and the pid poll race here; the next two tests pin each path on its own.
    expect(reason).toMatch(/^The nx process that started this batch is gone \((its IPC channel closed|parent pid \d+ exited)\); nothing more is committed\.$/);
  });

  it('its IPC channel closed while the parent lives: the reason says so, at once (not from the pid poll)', async () => {
    const child = fork(CHILD, [], { execArgv: ['-r', 'ts-node/register/transpile-only'], env: env({}), stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    pids.push(child.pid!);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await until(() => existsSync(`${report}.ready`));
    child.disconnect();
    expect(await exited).toBe(1);
    expect(outcome()).toEqual({ exit: '1', reason: 'The nx process that started this batch is gone (its IPC channel closed); nothing more is committed.' });
  });

  it('started without an IPC channel: the parent killed, the pid poll sees it and the reason names the parent pid', async () => {
    const { parent, worker } = await startUnderParent(false);
    expect(worker).toMatchObject({ ppid: parent.pid, disconnectListeners: 0 });
    parent.kill('SIGKILL');
    await until(() => existsSync(`${report}.exit`));
    await until(() => !alive(worker.pid));
    expect(outcome()).toEqual({ exit: '1', reason: `The nx process that started this batch is gone (parent pid ${parent.pid} exited); nothing more is committed.` });
  });

  it('called twice installs one watch', async () => {
    const child = fork(CHILD, [], { execArgv: ['-r', 'ts-node/register/transpile-only'], env: env({ WATCH_CALLS: '2' }), stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    pids.push(child.pid!);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await until(() => existsSync(`${report}.ready`));
    expect(readReady().disconnectListeners).toBe(1);
    child.disconnect();
    expect(await exited).toBe(1);
  });
});
