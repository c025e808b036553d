import type { Phase, PhaseCheck } from '../../plan/types';
import type { WalkedFile } from '../file-walk';

/** How many changed paths the message lists. */
const LISTED = 5;

/** The paths a check created, changed or deleted in the snapshot (`created src/a.tsbuildinfo`), sorted by path. */
export function snapshotChanges(before: Map<string, WalkedFile>, after: Map<string, WalkedFile>): string[] {
  const changes: Array<[string, string]> = [];
  for (const [path, file] of after) {
    const previous = before.get(path);
    if (!previous) changes.push([path, `created ${path}`]);
    else if (previous.kind !== file.kind || previous.hash !== file.hash || previous.executable !== file.executable) changes.push([path, `changed ${path}`]);
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push([path, `deleted ${path}`]);
  return changes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, change]) => change);
}

/**
 * A check that wrote into the phase's snapshot: what it wrote would not be what was validated and hashed (or would
 * be taken for the generator's output by a repair), so the phase fails and commits nothing.
 */
export class CheckChangedSnapshotError extends Error {
  constructor(phase: Phase, check: PhaseCheck, changes: string[]) {
    const more = changes.length > LISTED ? ` and ${changes.length - LISTED} more` : '';
    super(
      `Phase ${phase.number} "${phase.name}": the check \`${check.command}\` changed the phase's snapshot ` +
        `(${changes.slice(0, LISTED).join(', ')}${more}), so nothing was committed: a check may only read the files it checks. ` +
        'Use a command that writes nothing into its working folder (tsc --noEmit, eslint without --fix), or keep its caches outside it (for example under $TMPDIR).',
    );
    this.name = 'CheckChangedSnapshotError';
  }
}
