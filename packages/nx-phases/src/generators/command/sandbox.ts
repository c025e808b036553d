import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { mountArguments } from './sandbox-mounts';
import { optionPlace, type OptionLocation, type SandboxSettings } from './sandbox-options';
import { seccompUnsupported, unixSocketFilter } from './seccomp-filter';

export { sandboxSettings, type OptionLocation, type SandboxSettings } from './sandbox-options';

/** A prepared sandbox: the program and arguments that wrap `/bin/sh -c <command>`, and the private folders' environment. */
export interface Sandbox {
  /** `bwrap` followed by its arguments; the shell and the command come after them. */
  argv: string[];
  /** HOME and TMPDIR pointing at the sandbox's private, writable folders. */
  env: { HOME: string; TMPDIR: string };
  /** Files the child must get open as fds 3, 4, … (the seccomp program `--seccomp 3` reads). */
  fds: string[];
}

/** The hardening flags every sandbox gets: all namespaces (user when allowed), no capabilities, killed with its parent. */
export const HARDENING = ['--unshare-all', '--die-with-parent', '--cap-drop', 'ALL'];

/** What the sandbox binds from outside: the snapshot it works in, the workspace (for node_modules only) and its context file. */
export interface SandboxTarget {
  workDir: string;
  workspaceRoot: string;
  /** The command's context JSON, bound read-only. */
  contextFile: string;
  /** A private folder the caller removes afterwards: the sandbox's HOME, TMPDIR and seccomp program go there. */
  privateFolder: string;
}

/**
 * Prepares a bubblewrap sandbox for a command working in `target.workDir`: an empty root with the system folders,
 * an /etc subset, the workspace's node_modules and Node read-only (see sandbox-mounts.ts), the snapshot and a private
 * HOME and TMPDIR read-write, empty private /tmp, /run, /dev/shm and `$XDG_RUNTIME_DIR`, its own /dev and /proc,
 * new namespaces, no capabilities, a seccomp filter refusing unix sockets and io_uring, and the network only when
 * `settings.network` is true. Throws, naming the fix, when bwrap is missing or cannot create a sandbox here, or the
 * filter cannot be built for this machine: a requested sandbox never falls back to less.
 */
export function prepareSandbox(settings: SandboxSettings, target: SandboxTarget, where: OptionLocation): Sandbox {
  const problem = sandboxProblem();
  if (problem) {
    throw new Error(
      `${where.label}: "sandbox" is set (${optionPlace(where)}), but bubblewrap cannot run here: ${problem}. ` +
        'Install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) and allow unprivileged user ' +
        'namespaces, or remove "sandbox". The command was not run.',
    );
  }
  const unsupported = seccompUnsupported(process.arch, endianness());
  if (unsupported) {
    throw new Error(
      `${where.label}: "sandbox" is set (${optionPlace(where)}), but the sandbox cannot run here: ${unsupported}. ` +
        'Run this phase on x86_64 or aarch64 Linux, or remove "sandbox" for a command you trust. The command was not run.',
    );
  }
  const env = { HOME: join(target.privateFolder, 'sandbox-home'), TMPDIR: join(target.privateFolder, 'sandbox-tmp') };
  mkdirSync(env.HOME);
  mkdirSync(env.TMPDIR);
  const seccomp = join(target.privateFolder, 'seccomp.bpf');
  writeFileSync(seccomp, unixSocketFilter(process.arch));
  const mounts = mountArguments({
    workDir: target.workDir,
    writable: [env.HOME, env.TMPDIR],
    readable: [target.contextFile],
    workspaceRoot: target.workspaceRoot,
    nodeExecPath: process.execPath,
    runtimeDir: process.env.XDG_RUNTIME_DIR,
  });
  const argv = [
    'bwrap',
    ...mounts,
    ...['--chdir', target.workDir, ...HARDENING, ...(settings.network ? ['--share-net'] : []), '--seccomp', '3'],
  ];
  return { argv, env, fds: [seccomp] };
}

/** PATH → why bwrap cannot sandbox there (undefined when it can); probed once per PATH and process. */
const availability = new Map<string, string | undefined>();

/** Why a sandbox cannot be created here (bwrap missing, or refused by the kernel), or undefined. */
function sandboxProblem(): string | undefined {
  const path = process.env.PATH ?? '';
  if (!availability.has(path)) availability.set(path, probeBwrap());
  return availability.get(path);
}

function probeBwrap(): string | undefined {
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', ...HARDENING, '/bin/true'], {
    encoding: 'utf8',
    env: process.env,
    timeout: 30_000,
  });
  if (probe.error) return (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'bwrap is not installed (not found on PATH)' : probe.error.message;
  if (probe.status === 0) return undefined;
  return `bwrap failed (${JSON.stringify(probe.stderr.trim().split('\n').pop() || `exit ${probe.status}`)})`;
}
