import type { Phase } from '../../plan/types';

/** Default for `timeoutMs`: ten minutes. */
export const DEFAULT_TIMEOUT_MS = 600_000;

/** The settings of nx-phases:command after validation. */
export interface CommandSettings {
  command: string;
  timeoutMs: number;
}

/** Validates `command` and `timeoutMs` from the spread generator options; errors show the fix in phases.json. */
export function commandSettings(options: Record<string, unknown>, phase: Phase): CommandSettings {
  const where = `Phase ${phase.number} "${phase.name}"`;
  const { command, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (typeof command !== 'string' || command.trim() === '') {
    throw new Error(
      `${where}: nx-phases:command needs a "command" option with a shell command, e.g. ` +
        `"generator": { "use": "nx-phases:command", "options": { "command": "my-agent --phase $NX_PHASES_PHASE_NUMBER" } } in phases.json.`,
    );
  }
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(
      `${where}: nx-phases:command option "timeoutMs" must be a positive whole number of milliseconds (got ${JSON.stringify(timeoutMs)}); ` +
        `for example "timeoutMs": ${DEFAULT_TIMEOUT_MS}.`,
    );
  }
  return { command, timeoutMs };
}
