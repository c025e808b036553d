/** One Nx release the packed plugin is tested with: the `nx` and `@nx/devkit` versions a fresh workspace installs. */
export interface NxRelease {
  /** Which end of the supported range this is. */
  label: 'oldest' | 'newest';
  nx: string;
  devkit: string;
}

/**
 * The ends of the plugin's peer range (`>=23.3.0 <25.0.0` for `nx` and `@nx/devkit`), each installed exactly in a
 * fresh workspace by first-hour.e2e.spec.ts. `@nx/devkit` 24.0.6 is the newest devkit on the registry (checked
 * 2026-12-07 with `npm view @nx/devkit versions`; its own peer range is `nx >= 23 <= 25`). Not 23.0.0: measured here, Nx 23.0.0 reports a broken `phases.json` as only "Failed to
 * process project graph. Pass --verbose to see the stacktraces." (23.0.x–23.2.x share that code; 23.3.0 lists each
 * error's message). Keep the README's Compatibility table in step with this list.
 */
export const NX_MATRIX: readonly NxRelease[] = [
  { label: 'oldest', nx: '23.3.0', devkit: '23.3.0' },
  { label: 'newest', nx: '24.0.7', devkit: '24.0.6' },
];
