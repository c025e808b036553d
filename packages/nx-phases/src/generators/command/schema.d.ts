import type { PhaseGeneratorOptions } from '../../runtime/phase-generator';

/** Options of nx-phases:command: its own settings plus what the nx-phases:phase executor passes. */
export interface CommandGeneratorSchema extends PhaseGeneratorOptions {
  /** Shell command run as `/bin/sh -c <command>` in the phase's snapshot folder. */
  command: string;
  /** Milliseconds before the command's process group is stopped and the phase fails (default 600000). */
  timeoutMs?: number;
  /** Run in a bubblewrap sandbox (snapshot read-write, toolchain read-only, private HOME/TMPDIR//tmp, no host unix socket); `{ network: false }` also cuts the network. */
  sandbox?: boolean | { network?: boolean };
}
