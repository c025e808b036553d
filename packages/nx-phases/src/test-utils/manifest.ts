import type { PhaseManifest } from '../runtime/manifest';

/** A manifest that passes the manifest checks, with `overrides` applied, for tests that write records by hand. */
export function validManifest(overrides: Partial<PhaseManifest> & { phase: PhaseManifest['phase'] }): PhaseManifest {
  return {
    plan: 'shop',
    files: {},
    features: [],
    snapshotHash: '0'.repeat(64),
    generator: { use: 'nx-phases:scaffold', options: {} },
    durationMs: 0,
    usage: { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 },
    warnings: [],
    ...overrides,
  };
}
