import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadState, type E2eState } from './e2e-state';
import type { E2eWorkspace } from './e2e-workspace';
import { createScenarioWorkspace } from './workspace-factory';
import { clearGeneratorLog, generatorCalls } from './generator-log';
import { phaseCommandLine, type PhaseCommandFlags } from './phase-command';

/** One scenario's world: its own workspace, and a generator log outside every app root. */
export interface Scenario {
  state: E2eState;
  workspace: E2eWorkspace;
  /** Absolute path of the JSON-lines log the phase command appends to. */
  logFile: string;
  /** The command string for `nx-phases:command` that logs to this scenario's log. */
  command(flags?: PhaseCommandFlags): string;
  /** Phase numbers whose generator ran since the last `resetCalls()`, sorted. */
  calls(): number[];
  /** Forgets the calls logged so far. */
  resetCalls(): void;
}

/** Creates the workspace and log for a named scenario (names must be unique within the suite run). */
export function createScenario(name: string): Scenario {
  const state = loadState();
  const workspace = createScenarioWorkspace(state, name);
  mkdirSync(join(state.tempRoot, 'logs'), { recursive: true });
  const logFile = join(state.tempRoot, 'logs', `${name}.jsonl`);
  return {
    state,
    workspace,
    logFile,
    command: (flags) => phaseCommandLine(state.phaseCommandScript, logFile, flags),
    calls: () => generatorCalls(logFile),
    resetCalls: () => clearGeneratorLog(logFile),
  };
}
