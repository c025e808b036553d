import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childOutput, tsChildEnv, tsScriptArgs, type ChildOutput } from '../../test-utils/ts-child';

const CHILD = join(__dirname, 'test-utils', 'sandbox-on-arch.ts');

// Real child processes on a possibly busy machine: no timing assertions.
jest.setTimeout(120_000);

/** Prepares a sandbox in a child process that reports `arch` as its machine (test-utils/sandbox-on-arch.ts). */
function prepareOn(arch: string, folder: string): Promise<ChildOutput> {
  const child = spawn(process.execPath, tsScriptArgs(CHILD, [arch, folder]), {
    env: tsChildEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return childOutput(child);
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
