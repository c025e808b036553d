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

/**
 * A manifest with its timing fields removed (durationMs, waits, usage.waitMs, each check's durationMs, segments):
 * what may differ between runs of the same inputs.
 */
export function manifestWithoutTimings(manifest: Record<string, unknown>): Record<string, unknown> {
  const { durationMs: _duration, segments: _segments, waits: _waits, ...rest } = manifest;
  const usage = rest.usage as Record<string, unknown> | undefined;
  const checks = rest.checks as Array<Record<string, unknown>> | undefined;
  return {
    ...rest,
    ...(usage ? { usage: { ...usage, waitMs: 0 } } : {}),
    ...(checks ? { checks: checks.map(({ durationMs: _checkDuration, ...check }) => check) } : {}),
  };
}
