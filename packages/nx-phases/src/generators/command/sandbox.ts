import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The `sandbox` option after validation: run the command under bubblewrap, with or without the network. */
export interface SandboxSettings {
  network: boolean;
}

/** A prepared sandbox: the program and arguments that wrap `/bin/sh -c <command>`, and the private folders' environment. */
export interface Sandbox {
  /** `bwrap` followed by its arguments; the shell and the command come after them. */
  argv: string[];
  /** HOME and TMPDIR pointing at the sandbox's private, writable folders. */
  env: { HOME: string; TMPDIR: string };
}

/** Where the option is written, for messages. */
export interface OptionLocation {
  label: string;
  /** `phases[2].generator.options.sandbox in apps/shop/phases.json`, or a generic pointer at phases.json. */
  at: string;
}

/**
 * Validates the `sandbox` option: absent or `false` (no sandbox), `true` (sandbox with network), or
 * `{ "network": false }` (sandbox without network; `network` defaults to true).
 */
export function sandboxSettings(value: unknown, where: OptionLocation): SandboxSettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { network: true };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { network = true, ...rest } = value as Record<string, unknown>;
    if (typeof network === 'boolean' && Object.keys(rest).length === 0) return { network };
  }
  throw new Error(
    `${where.label}: nx-phases:command option "sandbox" must be true, false or { "network": false } (got ${JSON.stringify(value)}) at ${where.at}.`,
  );
}

/** PATH → why bwrap cannot sandbox there (undefined when it can); probed once per PATH and process. */
const availability = new Map<string, string | undefined>();

/**
 * Prepares a bubblewrap sandbox for a command working in `workDir`: the whole file system read-only, `workDir`
 * and a private HOME and TMPDIR (made in `privateFolder`, which the caller removes) read-write, /dev and /proc of its own, no capabilities, new namespaces (pid,
 * ipc, uts, cgroup, user when allowed) and the network only when `settings.network` is true. Throws, naming the
 * fix, when bwrap is missing or cannot create a sandbox here: a requested sandbox never falls back to running
 * the command without one.
 */
export function prepareSandbox(settings: SandboxSettings, workDir: string, privateFolder: string, where: OptionLocation): Sandbox {
  const problem = sandboxProblem();
  if (problem) {
    throw new Error(
      `${where.label}: "sandbox" is set (${where.at}), but bubblewrap cannot run here: ${problem}. ` +
        'Install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) and allow unprivileged user ' +
        'namespaces, or remove "sandbox". The command was not run.',
    );
  }
  const env = { HOME: join(privateFolder, 'sandbox-home'), TMPDIR: join(privateFolder, 'sandbox-tmp') };
  mkdirSync(env.HOME);
  mkdirSync(env.TMPDIR);
  const argv = [
    'bwrap',
    ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'],
    ...['--bind', workDir, workDir, '--bind', env.HOME, env.HOME, '--bind', env.TMPDIR, env.TMPDIR],
    ...['--chdir', workDir, '--unshare-all', ...(settings.network ? ['--share-net'] : []), '--die-with-parent', '--cap-drop', 'ALL'],
  ];
  return { argv, env };
}

/** Why a sandbox cannot be created here (bwrap missing, or refused by the kernel), or undefined. */
function sandboxProblem(): string | undefined {
  const path = process.env.PATH ?? '';
  if (!availability.has(path)) availability.set(path, probeBwrap());
  return availability.get(path);
}

function probeBwrap(): string | undefined {
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-all', '--die-with-parent', '--cap-drop', 'ALL', '/bin/true'], {
    encoding: 'utf8',
    env: process.env,
    timeout: 30_000,
  });
  if (probe.error) return (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'bwrap is not installed (not found on PATH)' : probe.error.message;
  if (probe.status === 0) return undefined;
  return `bwrap failed (${JSON.stringify(probe.stderr.trim().split('\n').pop() || `exit ${probe.status}`)})`;
}
