import { readFileSync, writeFileSync } from 'node:fs';

/** The environment variable through which globalSetup tells the test files where its state file is. */
export const STATE_ENV = 'NX_PHASES_E2E_STATE';

/** What globalSetup prepared once for every test file. */
export interface E2eState {
  /** Temp folder holding everything the suite creates; removed by globalTeardown. */
  tempRoot: string;
  /** The workspace where the packed plugin was installed and `nx g nx-phases:init` ran. */
  templateWorkspace: string;
  /** The packed plugin tarball. */
  tarball: string;
  /** The phase command script (see phase-command.ts), outside every app root. */
  phaseCommandScript: string;
  /** nx.json after the first and the second `nx g nx-phases:init`. */
  nxJsonAfterInit: [string, string];
  /** Seconds spent on build, pack, install, init. */
  timings: Record<string, number>;
}

/** Writes the state file and points the environment at it. */
export function saveState(path: string, state: E2eState): void {
  writeFileSync(path, JSON.stringify(state, null, 2));
  process.env[STATE_ENV] = path;
}

/** Reads the state globalSetup wrote; fails clearly when the suite was not started through its jest config. */
export function loadState(): E2eState {
  const path = process.env[STATE_ENV];
  if (!path) throw new Error(`${STATE_ENV} is not set: run the e2e suite through packages/nx-phases-e2e/jest.config.js (its globalSetup prepares the workspace).`);
  return JSON.parse(readFileSync(path, 'utf8')) as E2eState;
}
