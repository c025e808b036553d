import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Pids of every living descendant of `rootPid` (children, grandchildren, …), from `ps`. */
export function descendantPids(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** One environment variable of a living process (Linux `/proc/<pid>/environ`); undefined when unreadable. */
export function processEnvVar(pid: number, name: string): string | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const entry = entries.find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/**
 * A process as seen once: its pid and its start time (clock ticks since boot, `/proc/<pid>/stat` field 22). Pids are
 * reused (pid_max is 32768 here, and other suites and CI jobs spawn processes all the time), so a test that checks
 * later whether a process it saw is still running, or kills it, must compare both.
 */
export interface SeenProcess {
  pid: number;
  startTicks: string;
}

/** The process `pid` is now (pid and start time), or undefined when it is gone. */
export function seeProcess(pid: number): SeenProcess | undefined {
  const fields = statFields(pid);
  return fields && { pid, startTicks: fields[19] };
}

/** True while the very process seen (same pid, same start time) exists and is not a zombie. */
export function isStillRunning(seen: SeenProcess): boolean {
  const fields = statFields(seen.pid);
  return fields !== undefined && fields[19] === seen.startTicks && fields[0] !== 'Z';
}

/** Sends SIGKILL to each seen process that is still that process (a reused pid is left alone); never throws. */
export function killSeen(seen: SeenProcess[]): void {
  killAll(seen.filter(isStillRunning).map((process) => process.pid));
}

/** The fields of `/proc/<pid>/stat` after the command name (state first), or undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True while `pid` exists and is not a zombie (Linux `/proc/<pid>/stat`). */
export function isProcessRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Sends SIGKILL to each pid, which must be living processes the test started (pids get reused); never throws. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Pids of living processes whose current folder is `folder` or below it (Linux `/proc/<pid>/cwd`). */
export function processesIn(folder: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if ((cwd === folder || cwd.startsWith(`${folder}/`)) && isProcessRunning(Number(name))) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
