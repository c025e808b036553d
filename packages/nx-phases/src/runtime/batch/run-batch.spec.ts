import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sleep } from '../rate-limit/sleep';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { readPhaseRuns } from '../run-records';
import type { BatchPhaseTask, BatchTaskResult } from './run-batch';

const RUNNER = join(__dirname, 'test-utils', 'batch-runner.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real child processes on a possibly busy machine: no timing assertions.
jest.setTimeout(120_000);

const GENERATORS = {
  // Talks through every channel a phase has: console, a late stdout write and a child process's output.
  talker: `
    const n = options.phase.number;
    console.log('talker ' + n + ' says hi');
    await new Promise((done) => setTimeout(done, 20 * (7 - n)));
    process.stdout.write('talker ' + n + ' after a timer\\n');
    await new Promise((done) => {
      const child = require('child_process').spawn('sh', ['-c', 'echo child of ' + n + '; echo child err of ' + n + ' >&2'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk) => process.stdout.write(chunk));
      child.stderr.on('data', (chunk) => process.stderr.write(chunk));
      child.on('close', done);
    });
    for (const file of options.phase.plannedFiles) tree.write(file, 'phase ' + n);`,
  // Throws from a timer callback and never settles: only the batch's escape handling can end it.
  bomb: `
    setTimeout(() => { throw new Error('async bomb in phase ' + options.phase.number); }, 10);
    await new Promise(() => undefined);`,
  // Leaves a promise rejected with a plain value unhandled and never settles: only the batch's rejection handling can end it.
  rejecter: `
    void Promise.reject('plain reason in phase ' + options.phase.number);
    await new Promise(() => undefined);`,
  // Fails the ordinary way: its run ends, and its run record lists the dependents the failure blocks.
  thrower: `throw new Error('phase ' + options.phase.number + ' failed on purpose');`,
};
const RUN_ID = 'run-batch-spec';

describe('runPhaseBatch in a real worker process', () => {
  let ws: TempWorkspace;
  let results: Map<string, BatchTaskResult['result']>;
  let stdout: string;

  beforeAll(() => {
    ws = new TempWorkspace();
    ws.installGenerators(GENERATORS);
    const deps: Record<number, number[]> = { 1: [], 2: [1], 3: [1], 4: [1], 5: [4], 6: [2, 3], 7: [], 8: [], 9: [8] };
    ws.write('apps/app/phases.json', {
      name: 'app',
      generator: 'test-gens:talker',
      phases: Object.entries(deps).map(([n, dependencies]) => ({
        number: Number(n),
        name: `Part ${n}`,
        dependencies,
        plannedFiles: [`src/p${n}.ts`],
        ...(n === '4' ? { generator: 'test-gens:bomb' } : n === '7' ? { generator: 'test-gens:rejecter' } : n === '8' ? { generator: 'test-gens:thrower' } : {}),
      })),
    });
    const tasks: BatchPhaseTask[] = Object.entries(deps).map(([n, dependencies]) => ({
      id: `app-${n}:phase`,
      plan: 'apps/app/phases.json',
      phase: Number(n),
      fingerprint: `fp-${n}`,
      dependencies: dependencies.map((d) => `app-${d}:phase`),
      exclusive: false,
    }));
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, JSON.stringify({ workspaceRoot: ws.root, parallel: 3, tasks })], {
      env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, NX_PHASES_PROGRESS: 'plain', NX_PHASES_RUN_ID: RUN_ID },
      encoding: 'utf8',
      timeout: 110_000,
    });
    stdout = child.stdout;
    if (child.status !== 0) throw new Error(`batch runner exited ${child.status}: ${child.stderr}\n${child.stdout}`);
    const lines = stdout.split('\n').filter((line) => line.startsWith('RESULT '));
    results = new Map(lines.map((line) => JSON.parse(line.slice('RESULT '.length)) as BatchTaskResult).map((r) => [r.task, r.result]));
  });
  afterAll(() => ws.dispose());

  it('reports every task exactly once, and nothing of a task leaks to the shared stdout', () => {
    expect([...results.keys()].sort()).toEqual(['app-1:phase', 'app-2:phase', 'app-3:phase', 'app-4:phase', 'app-5:phase', 'app-6:phase', 'app-7:phase', 'app-8:phase', 'app-9:phase']);
    expect(stdout.split('\n').filter((line) => line !== '' && !line.startsWith('RESULT '))).toEqual([]);
  });

  it("gives each phase exactly its own output: console, timers, its child process's stdout and stderr, progress", () => {
    for (const n of [1, 2, 3, 6]) {
      const output = results.get(`app-${n}:phase`)!.terminalOutput;
      expect({ n, lines: output.split('\n').filter((line) => /^(talker \d|child)/.test(line)).sort() }).toEqual({
        n,
        lines: [`child err of ${n}`, `child of ${n}`, `talker ${n} after a timer`, `talker ${n} says hi`],
      });
      expect(output).toContain('✔ Committing (1 file)\n');
    }
  });

  it('fails a phase whose error escapes its async work, alone: dependents skipped, siblings committed', () => {
    const status = Object.fromEntries([...results].map(([task, result]) => [task, result.status]));
    expect(status).toEqual({ 'app-1:phase': 'success', 'app-2:phase': 'success', 'app-3:phase': 'success', 'app-4:phase': 'failure', 'app-5:phase': 'skipped', 'app-6:phase': 'success', 'app-7:phase': 'failure', 'app-8:phase': 'failure', 'app-9:phase': 'skipped' });
    expect(results.get('app-4:phase')!.terminalOutput).toContain('an error escaped the phase, so it failed: async bomb in phase 4');
    expect(results.get('app-5:phase')!.terminalOutput).toBe('nx-phases: not run, because app-4:phase failed.\n');
    // Nx reads `success`, not `status`: only a committed phase is a success.
    expect(Object.fromEntries([...results].map(([task, result]) => [task, result.success]))).toEqual({ 'app-1:phase': true, 'app-2:phase': true, 'app-3:phase': true, 'app-4:phase': false, 'app-5:phase': false, 'app-6:phase': true, 'app-7:phase': false, 'app-8:phase': false, 'app-9:phase': false });
    for (const n of [1, 2, 3, 6]) expect(ws.read(`apps/app/src/p${n}.ts`)).toBe(`phase ${n}`);
    expect(ws.exists('apps/app/.phases/4/manifest.json')).toBe(false);
  });

  it('fails a phase that leaves a promise rejected unhandled, with its own reason', () => {
    expect(results.get('app-7:phase')!.terminalOutput).toContain('nx-phases: an error escaped the phase, so it failed: plain reason in phase 7\n');
    expect(ws.exists('apps/app/.phases/7/manifest.json')).toBe(false);
  });

  it("records the failed phase's skipped dependents under their projects (tasks given without one: the id's part before ':'), for the run summary", () => {
    expect(results.get('app-8:phase')!.terminalOutput).toContain('phase 8 failed on purpose');
    expect(readPhaseRuns(ws.root, RUN_ID, 'apps/app/phases.json').get(8)?.blocked).toEqual([{ number: 9, project: 'app-9' }]);
  });

  it('reports start and end times for the phases that ran', () => {
    for (const n of [1, 2, 3, 4, 6]) {
      const { startTime, endTime } = results.get(`app-${n}:phase`)!;
      expect(typeof startTime).toBe('number');
      expect(endTime! >= startTime!).toBe(true);
    }
  });
});

describe('runPhaseBatch with an exclusive phase (`"parallel": false`), in a real worker process', () => {
  it('starts the exclusive phase only after the running phase has ended, never beside it', async () => {
    const ws = new TempWorkspace();
    try {
      // Phase 1 holds at a gate the test opens once phase 1 is running; phase 2 (exclusive, same level) is ready all along.
      ws.installGenerators({
        gated: `
          const n = options.phase.number;
          fs.writeFileSync(path.join(process.env.GATE_DIR, 'started-' + n), '');
          if (n === 1) while (!fs.existsSync(path.join(process.env.GATE_DIR, 'open-1'))) await new Promise((done) => setTimeout(done, 20));
          for (const file of options.phase.plannedFiles) tree.write(file, 'phase ' + n);`,
      });
      ws.write('apps/app/phases.json', {
        name: 'app',
        generator: 'test-gens:gated',
        phases: [1, 2].map((n) => ({ number: n, name: `Part ${n}`, dependencies: [], plannedFiles: [`src/p${n}.ts`] })),
      });
      const tasks: BatchPhaseTask[] = [1, 2].map((n) => ({ id: `app-${n}:phase`, plan: 'apps/app/phases.json', phase: n, dependencies: [], exclusive: n === 2 }));
      const gateDir = join(ws.root, 'gates');
      ws.write('gates/.keep', '');
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, JSON.stringify({ workspaceRoot: ws.root, parallel: 3, tasks })], {
        env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true', GATE_DIR: gateDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      try {
        while (!existsSync(join(gateDir, 'started-1'))) await sleep(20);
        writeFileSync(join(gateDir, 'open-1'), '');
        expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      const results = new Map(
        stdout
          .split('\n')
          .filter((line) => line.startsWith('RESULT '))
          .map((line) => JSON.parse(line.slice('RESULT '.length)) as BatchTaskResult)
          .map((r) => [r.task, r.result]),
      );
      const one = results.get('app-1:phase')!;
      const two = results.get('app-2:phase')!;
      expect([one.status, two.status]).toEqual(['success', 'success']);
      // Times from the one worker's clock: the order of two events, not a duration.
      expect(two.startTime!).toBeGreaterThanOrEqual(one.endTime!);
    } finally {
      ws.dispose();
    }
  });
});

describe('runPhaseBatch with a phase whose error escaped while its generator goes on, in a real worker process', () => {
  it('stops that phase (its generator is signalled) and commits nothing of it, while the other phase runs on', async () => {
    const ws = new TempWorkspace();
    try {
      ws.installGenerators({
        // Throws from a timer, then goes on until it is signalled to stop (or the test opens its gate), and then
        // still writes its file, as a generator that ignores the signal would.
        late: `
          const gate = (name) => path.join(process.env.GATE_DIR, name);
          setTimeout(() => { throw new Error('escaped from phase 1'); }, 1);
          const signal = options.runtime.signal;
          while (!signal.aborted && !fs.existsSync(gate('finish-1'))) await new Promise((done) => setTimeout(done, 20));
          fs.writeFileSync(gate('stopped-1'), String(signal.aborted));
          tree.write(options.phase.plannedFiles[0], 'written after the escape');`,
        held: `
          while (!fs.existsSync(path.join(process.env.GATE_DIR, 'finish-2'))) await new Promise((done) => setTimeout(done, 20));
          tree.write(options.phase.plannedFiles[0], 'phase 2');`,
      });
      ws.write('apps/app/phases.json', {
        name: 'app',
        phases: [
          { number: 1, name: 'Late', plannedFiles: ['src/one.ts'], generator: 'test-gens:late' },
          { number: 2, name: 'Held', plannedFiles: ['src/two.ts'], generator: 'test-gens:held' },
        ],
      });
      ws.write('gates/.keep', '');
      const gateDir = join(ws.root, 'gates');
      const tasks: BatchPhaseTask[] = [1, 2].map((n) => ({ id: `app-${n}:phase`, plan: 'apps/app/phases.json', phase: n, dependencies: [], exclusive: false }));
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, JSON.stringify({ workspaceRoot: ws.root, parallel: 2, tasks })], {
        env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true', GATE_DIR: gateDir, NX_PHASES_RUN_ID: RUN_ID },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      let gone = false;
      void exited.then(() => (gone = true));
      const until = async (what: string, condition: () => boolean) => {
        while (!condition()) {
          if (gone) throw new Error(`The runner exited before ${what}: ${stderr}`);
          await sleep(20);
        }
      };
      const resultOf = (task: string) =>
        stdout
          .split('\n')
          .filter((line) => line.startsWith('RESULT '))
          .map((line) => JSON.parse(line.slice('RESULT '.length)) as BatchTaskResult)
          .find((r) => r.task === task)?.result;
      try {
        await until('phase 1 was reported', () => resultOf('app-1:phase') !== undefined);
        expect(resultOf('app-1:phase')).toMatchObject({ success: false, status: 'failure' });
        expect(resultOf('app-1:phase')!.terminalOutput).toContain('nx-phases: an error escaped the phase, so it failed: escaped from phase 1\n');
        writeFileSync(join(gateDir, 'finish-1'), ''); // lets phase 1's generator end even when nothing signals it
        await until("phase 1's run ended", () => readPhaseRuns(ws.root, RUN_ID, 'apps/app/phases.json').has(1));
        expect(ws.read('gates/stopped-1')).toBe('true');
        expect(readPhaseRuns(ws.root, RUN_ID, 'apps/app/phases.json').get(1)?.success).toBe(false);
        expect([ws.exists('apps/app/src/one.ts'), ws.exists('apps/app/.phases/1/manifest.json')]).toEqual([false, false]);
        writeFileSync(join(gateDir, 'finish-2'), '');
        expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      expect(resultOf('app-2:phase')).toMatchObject({ success: true, status: 'success' });
      expect(ws.read('apps/app/src/two.ts')).toBe('phase 2');
    } finally {
      ws.dispose();
    }
  });
});

describe('runPhaseBatch with a phase that prints a lot, in a real worker process', () => {
  it("keeps that phase's output within the limit with a note on what was dropped, its failure reason included; the other phase is untouched", () => {
    const ws = new TempWorkspace();
    try {
      ws.installGenerators({
        loud: `
          const line = 'x'.repeat(1023) + '\\n';
          console.log('loud phase starts');
          for (let i = 0; i < 3072; i++) process.stdout.write(line);
          throw new Error('the loud phase failed on purpose');`,
        quiet: `console.log('quiet phase ' + options.phase.number); tree.write(options.phase.plannedFiles[0], 'quiet');`,
      });
      ws.write('apps/app/phases.json', {
        name: 'app',
        generator: 'test-gens:quiet',
        phases: [
          { number: 1, name: 'Loud', plannedFiles: ['src/loud.ts'], generator: 'test-gens:loud' },
          { number: 2, name: 'Quiet', plannedFiles: ['src/quiet.ts'] },
        ],
      });
      const tasks: BatchPhaseTask[] = [1, 2].map((n) => ({ id: `app-${n}:phase`, plan: 'apps/app/phases.json', phase: n, dependencies: [], exclusive: false }));
      const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, JSON.stringify({ workspaceRoot: ws.root, parallel: 2, tasks })], {
        env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true', NX_PHASES_MAX_OUTPUT_MB: '0.25' },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 110_000,
      });
      expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
      const results = new Map(
        child.stdout
          .split('\n')
          .filter((line) => line.startsWith('RESULT '))
          .map((line) => JSON.parse(line.slice('RESULT '.length)) as BatchTaskResult)
          .map((r) => [r.task, r.result]),
      );
      const loud = results.get('app-1:phase')!;
      expect(loud.status).toBe('failure');
      expect(loud.terminalOutput.length).toBeLessThan(256 * 1024 + 4 * 1024);
      expect(loud.terminalOutput).toContain('loud phase starts\n' + 'x'.repeat(1023));
      expect(loud.terminalOutput).toMatch(/\[nx-phases: 2\.\d MB of this phase's output dropped here: it wrote 3\.\d MB/);
      expect(loud.terminalOutput).toContain('the loud phase failed on purpose');
      const quiet = results.get('app-2:phase')!;
      expect(quiet.status).toBe('success');
      expect(quiet.terminalOutput).toContain('quiet phase 2');
      expect(quiet.terminalOutput).not.toContain('x'.repeat(64));
    } finally {
      ws.dispose();
    }
  });
});

describe('runPhaseBatch with a bad output limit setting, in a real worker process', () => {
  it('fails every phase with the setting\'s one-line error, generating nothing, and skips their dependents', () => {
    const ws = new TempWorkspace();
    try {
      ws.installGenerators({ writer: `fs.appendFileSync(path.join(options.runtime.workspaceRoot, 'calls.log'), 'x'); tree.write(options.phase.plannedFiles[0], 'x');` });
      ws.write('apps/app/phases.json', {
        name: 'app',
        generator: 'test-gens:writer',
        phases: [
          { number: 1, name: 'One', plannedFiles: ['src/one.ts'] },
          { number: 2, name: 'Two', plannedFiles: ['src/two.ts'] },
          { number: 3, name: 'Three', dependencies: [1], plannedFiles: ['src/three.ts'] },
        ],
      });
      const tasks: BatchPhaseTask[] = [1, 2, 3].map((n) => ({ id: `app-${n}:phase`, plan: 'apps/app/phases.json', phase: n, dependencies: n === 3 ? ['app-1:phase'] : [], exclusive: false }));
      const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, JSON.stringify({ workspaceRoot: ws.root, parallel: 2, tasks })], {
        env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true', NX_PHASES_MAX_OUTPUT_MB: 'lots' },
        encoding: 'utf8',
        timeout: 110_000,
      });
      expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
      const results = Object.fromEntries(
        child.stdout
          .split('\n')
          .filter((line) => line.startsWith('RESULT '))
          .map((line) => JSON.parse(line.slice('RESULT '.length)) as BatchTaskResult)
          .map((r) => [r.task, [r.result.status, r.result.terminalOutput]]),
      );
      expect(results['app-1:phase'][0]).toBe('failure');
      expect(results['app-1:phase'][1]).toMatch(/^nx-phases: NX_PHASES_MAX_OUTPUT_MB="lots" is not a number[^\n]*\n$/);
      expect(results['app-2:phase']).toEqual(results['app-1:phase']);
      expect(results['app-3:phase']).toEqual(['skipped', 'nx-phases: not run, because app-1:phase failed.\n']);
      expect(ws.exists('calls.log')).toBe(false);
    } finally {
      ws.dispose();
    }
  });
});

describe('runPhaseBatch with one phase at a time, in a real worker process', () => {
  /** Runs `phases` of the plan as one batch with `parallel: 1`; returns the phase numbers in the order their generators started. */
  function runOneAtATime(ws: TempWorkspace, phases: number[], fingerprint: string): number[] {
    ws.write('order.log', '');
    const tasks: BatchPhaseTask[] = phases.map((n) => ({ id: `app-${n}:phase`, plan: 'apps/app/phases.json', phase: n, fingerprint: `${fingerprint}-${n}`, dependencies: [], exclusive: false }));
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, JSON.stringify({ workspaceRoot: ws.root, parallel: 1, tasks })], {
      env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true' },
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
    return ws.read('order.log').split('\n').filter(Boolean).map(Number);
  }

  it('starts the ready phase with the longest recorded duration first; a phase with none or 0 ms counts as 1 s', () => {
    const ws = new TempWorkspace();
    try {
      ws.installGenerators({
        logged: `
          fs.appendFileSync(path.join(options.runtime.workspaceRoot, 'order.log'), options.phase.number + '\\n');
          tree.write(options.phase.plannedFiles[0], 'phase ' + options.phase.number);`,
      });
      ws.write('apps/app/phases.json', {
        name: 'app',
        generator: 'test-gens:logged',
        phases: [1, 2, 3, 4].map((n) => ({ number: n, name: `Part ${n}`, dependencies: [], plannedFiles: [`src/p${n}.ts`] })),
      });
      // A first run records manifests for phases 2-4 (phase 1 never ran: it has none); then their durations are set.
      expect(runOneAtATime(ws, [2, 3, 4], 'first').sort()).toEqual([2, 3, 4]);
      for (const [n, durationMs] of [[2, 0], [3, 300], [4, 5000]]) {
        const manifest = JSON.parse(ws.read(`apps/app/.phases/${n}/manifest.json`));
        ws.write(`apps/app/.phases/${n}/manifest.json`, { ...manifest, durationMs });
      }
      // New fingerprints, so every phase generates again (no reuse). Ties keep the input order.
      expect(runOneAtATime(ws, [1, 2, 3, 4], 'second')).toEqual([4, 1, 2, 3]);
    } finally {
      ws.dispose();
    }
  });
});
