import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { sleep } from '../rate-limit/sleep';
import { claimPhase, phaseLockPath } from './phase-claim';

const HOLDER = join(__dirname, 'test-utils', 'claim-holder.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real processes on a possibly busy machine: generous limits, no timing assertions.
jest.setTimeout(60_000);

describe('single flight: claimPhase', () => {
  let ws: TempWorkspace;
  let printed: string[];
  const originalCI = process.env.CI;
  const children: ChildProcess[] = [];
  const releaseFile = () => join(ws.root, 'release-the-claim');
  const request = (phaseNumber = 3) => ({ workspaceRoot: ws.root, planFile: 'apps/app/phases.json', phaseNumber });

  beforeEach(() => {
    ws = new TempWorkspace();
    printed = [];
    process.env.CI = 'true'; // plain progress lines, as in CI and under Nx
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (originalCI === undefined) delete process.env.CI;
    else process.env.CI = originalCI;
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    ws.dispose();
  });

  /** Starts a holder process and resolves once it holds the claim. */
  function startHolder(): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', HOLDER, ws.root, 'apps/app/phases.json', '3', releaseFile()], {
      env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const exited = new Promise((done) => child.on('exit', done));
    return new Promise((claimed, failed) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes(`claimed ${child.pid}`)) claimed({ child, exited });
      });
      child.on('exit', (code) => failed(new Error(`holder exited with ${code} before claiming`)));
    });
  }

  it('claims a free phase at once, silently, and removes its lock file on release', async () => {
    const claim = await claimPhase(request());
    const lockPath = phaseLockPath(ws.root, 'apps/app/phases.json', 3);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
    claim.release();
    expect(existsSync(lockPath)).toBe(false);
    expect(printed.join('')).toBe('');
  });

  it('takes over at once, saying so, a claim left by a process that no longer exists', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const lockPath = phaseLockPath(ws.root, 'apps/app/phases.json', 3);
    mkdirSync(dirname(lockPath), { recursive: true });
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }));
    const claim = await claimPhase(request());
    expect(printed.join('')).toContain(`Took over the phase from pid ${deadPid}, which no longer exists`);
    claim.release();
  });

  it('keeps different phases independent', async () => {
    const three = await claimPhase(request(3));
    const four = await claimPhase(request(4));
    three.release();
    four.release();
  });

  it('waits while another process holds the phase, and gets it when that process releases it', async () => {
    const { child, exited } = await startHolder();
    const waiting = claimPhase(request());
    await until(() => printed.join('').includes(`Waiting for pid ${child.pid}`));
    writeFileSync(releaseFile(), '');
    const claim = await waiting;
    await exited;
    expect(child.exitCode).toBe(0);
    expect(printed.join('')).toContain(`for pid ${child.pid} to finish this phase`);
    claim.release();
  });

  it('takes over from a holder killed with SIGKILL by noticing its pid is gone, not by waiting for the lease to expire', async () => {
    const { child } = await startHolder();
    const waiting = claimPhase(request());
    await until(() => printed.join('').includes(`Waiting for pid ${child.pid}`));
    child.kill('SIGKILL');
    const claim = await waiting;
    // The lease was renewed moments ago and lasts a minute: only the dead-pid check can have freed it.
    expect(printed.join('')).toContain(`Took over the phase from pid ${child.pid}, which no longer exists`);
    expect(JSON.parse(readFileSync(phaseLockPath(ws.root, 'apps/app/phases.json', 3), 'utf8')).pid).toBe(process.pid);
    claim.release();
  });
});

/** Polls a condition (no time limit of its own: jest's timeout ends a hung test). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}
