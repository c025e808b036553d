import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Options of the e2e phase command (see fixtures/phase-command.js). */
export interface PhaseCommandFlags {
  fail?: boolean;
  sleepMs?: number;
  randomSleepMs?: number;
}

/** Copies the phase command script to `target` (outside every app root) and returns its path. */
export function installPhaseCommand(target: string): string {
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(__dirname, '..', 'fixtures', 'phase-command.js'), target);
  return target;
}

/** The shell command string a plan gives `nx-phases:command` to run the script, logging to `logFile`. */
export function phaseCommandLine(script: string, logFile: string, flags: PhaseCommandFlags = {}): string {
  const args = [JSON.stringify(script), JSON.stringify(logFile)];
  if (flags.fail) args.push('--fail');
  if (flags.sleepMs) args.push(`--sleep-ms=${flags.sleepMs}`);
  if (flags.randomSleepMs) args.push(`--random-sleep-ms=${flags.randomSleepMs}`);
  return `node ${args.join(' ')}`;
}

/** A `nx-phases:command` generator spec for a plan or a phase. */
export function commandGenerator(command: string): { use: string; options: { command: string } } {
  return { use: 'nx-phases:command', options: { command } };
}
