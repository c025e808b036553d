import { existsSync, readFileSync, rmSync } from 'node:fs';

/** One line the phase command appended to its log. */
export interface GeneratorLogEntry {
  plan: string;
  phase: number;
  event: 'start' | 'end' | 'failed';
  /** Epoch milliseconds (or nanoseconds for shell-logged entries, see `readShellLog`). */
  t: number;
  /** The snapshot folder the command ran in. */
  cwd?: string;
  /** $NX_PHASES_CONTEXT_FILE as the command saw it. */
  contextFile?: string;
  contextPhaseNumber?: number;
  contextPlanName?: string;
  contextFiles?: string[] | null;
  seen?: string[];
}

/** Reads the JSON-lines log of the phase command (empty when it does not exist yet). */
export function readGeneratorLog(logFile: string): GeneratorLogEntry[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GeneratorLogEntry);
}

/** Phase numbers whose generator was called (one `start` each), sorted; repeats kept so double calls show. */
export function generatorCalls(logFile: string): number[] {
  return readGeneratorLog(logFile)
    .filter((entry) => entry.event === 'start')
    .map((entry) => entry.phase)
    .sort((a, b) => a - b);
}

/** Empties the log, so the next run's calls can be counted alone. */
export function clearGeneratorLog(logFile: string): void {
  rmSync(logFile, { force: true });
}

/** A `[start, end]` interval of one generator call. */
export interface CallInterval {
  phase: number;
  start: bigint;
  end: bigint;
}

/**
 * Reads a log written by a shell command as `<phase> start|end <date +%s%N>` lines and pairs them
 * into intervals (nanoseconds), sorted by start.
 */
export function readShellIntervals(logFile: string): CallInterval[] {
  const starts = new Map<number, bigint>();
  const intervals: CallInterval[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim() !== '')) {
    const [phaseText, event, time] = line.trim().split(/\s+/);
    const phase = Number(phaseText);
    if (event === 'start') starts.set(phase, BigInt(time));
    else if (event === 'end') intervals.push({ phase, start: starts.get(phase)!, end: BigInt(time) });
  }
  return intervals.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/**
 * A shell command for `nx-phases:command` that logs `<phase> start <ns>`, sleeps 0.5 s, writes `out/p<n>.txt` and
 * logs `<phase> end <ns>` to `logFile` (read it with `readShellIntervals`).
 */
export function loggedSleepCommand(logFile: string): string {
  return (
    `echo "$NX_PHASES_PHASE_NUMBER start $(date +%s%N)" >> '${logFile}' && sleep 0.5 && mkdir -p out && ` +
    `echo "phase $NX_PHASES_PHASE_NUMBER" > "out/p$NX_PHASES_PHASE_NUMBER.txt" && ` +
    `echo "$NX_PHASES_PHASE_NUMBER end $(date +%s%N)" >> '${logFile}'`
  );
}

/** The phases whose call started before the previous call (in start order) ended: empty when no two calls overlapped. */
export function overlappingCalls(intervals: CallInterval[]): number[] {
  return intervals.filter((interval, i) => i > 0 && interval.start < intervals[i - 1].end).map((interval) => interval.phase);
}
