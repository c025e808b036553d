import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The command line of the nx command this process works for, as `[node, nx, …args]`: its own argv when it is the nx
 * CLI (plugins not isolated), else its parent's (with the daemon off, Nx forks its isolated plugin workers, batch
 * workers and task processes from the CLI). Empty when neither is the nx CLI: with the daemon on, a plugin worker's
 * parent is the daemon, whose command line names no nx command.
 */
export function nxCommandLine(argv: readonly string[] = process.argv, parent: () => string[] = parentCommandLineOnce): string[] {
  return fromNxEntry(argv) ?? fromNxEntry(parent()) ?? [];
}

let parentOnce: string[] | undefined;

/** `parentCommandLine()`, read once per process (the parent does not change; createNodes asks once per plan). */
function parentCommandLineOnce(): string[] {
  parentOnce ??= parentCommandLine();
  return parentOnce;
}

/** The parent process's argv: Linux `/proc/<ppid>/cmdline`, else `ps`, else none. */
export function parentCommandLine(): string[] {
  try {
    return readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(process.ppid)], { encoding: 'utf8' }).trim().split(/\s+/);
    } catch {
      return [];
    }
  }
}

/** `[node, nx, …args]` when `commandLine` runs the nx CLI (`…/.bin/nx`, `…/nx/bin/nx.js`), after any node flags. */
function fromNxEntry(commandLine: readonly string[]): string[] | undefined {
  const entry = commandLine.findIndex((arg, index) => index > 0 && /^nx(\.js)?$/.test(basename(arg)));
  return entry < 0 ? undefined : [commandLine[0], ...commandLine.slice(entry)];
}
