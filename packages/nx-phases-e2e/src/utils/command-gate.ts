import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './scenario';

/** A gate a phase's command waits at, so a test orders events by files, never by timing. */
export interface CommandGate {
  /** Shell command that notes it is held, waits until the gate opens, then runs the scenario's phase command. */
  command: string;
  /** True once a command is waiting at the gate. */
  held(): boolean;
  /** Opens the gate (every waiting command goes on). */
  open(): void;
}

/** A closed gate named `name` in the suite's temp area (outside every workspace). */
export function commandGate(scenario: Scenario, name: string): CommandGate {
  const folder = join(scenario.state.tempRoot, 'gates');
  mkdirSync(folder, { recursive: true });
  const gate = join(folder, name);
  return {
    command: `echo held >> '${gate}.waiting'; while [ ! -e '${gate}' ]; do sleep 0.05; done; ${scenario.command()}`,
    held: () => existsSync(`${gate}.waiting`),
    open: () => writeFileSync(gate, ''),
  };
}
