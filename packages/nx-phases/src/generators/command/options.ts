import type { Phase } from '../../plan/types';
import type { PhaseRuntime } from '../../runtime/phase-generator';
import { sandboxSettings, type OptionLocation, type SandboxSettings } from './sandbox-options';

/** Default for `timeoutMs`: ten minutes. */
export const DEFAULT_TIMEOUT_MS = 600_000;

/** The settings of nx-phases:command after validation. */
export interface CommandSettings {
  command: string;
  timeoutMs: number;
  /** Run under bubblewrap (see sandbox.ts); undefined runs the command unsandboxed. */
  sandbox?: SandboxSettings;
  /** Who runs and where `sandbox` is set, for the sandbox's messages. */
  sandboxOption: OptionLocation;
}

/**
 * Validates `command`, `timeoutMs` and `sandbox` from the spread generator options. Errors name the plan file and the
 * options' JSON path when the executor passes them (`where`), else they point at phases.json.
 */
export function commandSettings(options: Record<string, unknown>, phase: Phase, where?: PhaseRuntime['where']): CommandSettings {
  const label = `Phase ${phase.number} "${phase.name}"`;
  const { command, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (typeof command !== 'string' || command.trim() === '') {
    const example = `"generator": { "use": "nx-phases:command", "options": { "command": "my-agent --phase $NX_PHASES_PHASE_NUMBER" } }`;
    throw new Error(
      where
        ? `${label}: nx-phases:command needs a "command" option with a shell command: set ${where.jsonPath}.command in ${where.planFile}, e.g. ${example}.`
        : `${label}: nx-phases:command needs a "command" option with a shell command, e.g. ${example} in phases.json.`,
    );
  }
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    const at = where ? ` at ${where.jsonPath}.timeoutMs in ${where.planFile}` : '';
    throw new Error(
      `${label}: nx-phases:command option "timeoutMs" must be a positive whole number of milliseconds (got ${JSON.stringify(timeoutMs)})${at}; ` +
        `for example "timeoutMs": ${DEFAULT_TIMEOUT_MS}.`,
    );
  }
  const sandboxOption: OptionLocation = where ? { label, jsonPath: `${where.jsonPath}.sandbox`, planFile: where.planFile } : { label };
  return { command, timeoutMs, sandbox: sandboxSettings(options.sandbox, sandboxOption), sandboxOption };
}
