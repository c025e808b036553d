import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CHILD = join(__dirname, 'test-utils', 'sandbox-on-arch.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

// Real child processes on a possibly busy machine: no timing assertions.
jest.setTimeout(120_000);

/** Prepares a sandbox in a child process that reports `arch` as its machine (test-utils/sandbox-on-arch.ts). */
function prepareOn(arch: string, folder: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), CHILD, arch, folder], {
    env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('a sandbox on a machine its seccomp filter is not built for', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'nx-phases-sandbox-arch-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('is refused before anything is prepared, naming the machine, where the option is set and what to do', async () => {
    expect(await prepareOn('riscv64', folder)).toEqual({
      code: 0,
      stdout:
        'Phase 4 (Search): "sandbox" is set (phases[3].generator.options.sandbox in apps/shop/phases.json), but the sandbox cannot run here: ' +
        'its seccomp filter is built for x86_64 and aarch64 only, and this machine is riscv64. ' +
        'Run this phase on x86_64 or aarch64 Linux, or remove "sandbox" for a command you trust. The command was not run.\n',
      stderr: '',
    });
    // No private HOME, TMPDIR or filter was made for a sandbox that cannot run.
    expect(readdirSync(join(folder, 'private'))).toEqual(['context.json']);
  });
});
