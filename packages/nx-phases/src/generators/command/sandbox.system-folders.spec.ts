import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { childOutput, tsChildEnv, tsScriptArgs, type ChildOutput } from '../../test-utils/ts-child';
import { SYSTEM_FOLDERS } from './sandbox-mounts';

const CHILD = join(__dirname, 'test-utils', 'sandbox-in-root.ts');
const REPO = resolve(__dirname, '../../../../..');

// Real child processes (bubblewrap, Node, a sandboxed command) on a possibly busy machine: no timing assertions.
jest.setTimeout(120_000);

/** True when `path` is `folder` or inside it. */
const within = (path: string, folder: string) => !relative(folder, path).startsWith('..');

/**
 * bwrap arguments for a root like this host's (its system folders, /etc, this repository, its node_modules and Node),
 * except that the system folder `odd` is the regular file `file`.
 */
function rootWithFileAt(odd: string, file: string): string[] {
  const args: string[] = [];
  for (const folder of SYSTEM_FOLDERS) {
    if (folder === odd) args.push('--ro-bind', file, folder);
    else if (!existsSync(folder)) continue;
    else if (lstatSync(folder).isSymbolicLink()) args.push('--symlink', readlinkSync(folder), folder);
    else args.push('--ro-bind', folder, folder);
  }
  const modules = realpathSync(join(REPO, 'node_modules'));
  const node = dirname(dirname(realpathSync(process.execPath)));
  for (const folder of [REPO, modules, node]) if (!SYSTEM_FOLDERS.some((system) => within(folder, system)) && !within(folder, REPO)) args.push('--ro-bind', folder, folder);
  // The host's /proc, writable: a nested sandbox writes its uid map through it and may mount a proc only where the
  // proc it sees is whole (a fresh bwrap --proc is partly covered). /tmp comes first: a clone under /tmp (as CI's
  // may be) is bound into it, not hidden by it.
  return ['--tmpfs', '/tmp', '--ro-bind', '/etc', '/etc', '--ro-bind', REPO, REPO, ...args, '--bind', '/proc', '/proc', '--dev', '/dev', '--die-with-parent'];
}

/** Runs test-utils/sandbox-in-root.ts (a sandboxed command) inside `root` (bwrap arguments). */
function runSandboxInRoot(root: string[]): Promise<ChildOutput> {
  const child = spawn('bwrap', [...root, '--chdir', REPO, process.execPath, ...tsScriptArgs(CHILD)], {
    env: tsChildEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return childOutput(child);
}

describe('a sandbox on a machine whose system folder is a regular file', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'nx-phases-system-folders-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('still runs a sandboxed command, which sees only the system folders, not that file', async () => {
    const file = join(folder, 'lib32');
    writeFileSync(file, 'not a folder\n');
    expect(await runSandboxInRoot(rootWithFileAt('/lib32', file))).toEqual({ code: 0, stdout: 'ran\n/lib32: absent\n', stderr: '' });
  });
});
