import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlan } from '../plan';
import type { LoadedPlan } from '../runtime/load-plan';
import { dependencySpecHashes, phaseFingerprint } from './fingerprint';

describe('phaseFingerprint and the check', () => {
  const root = mkdtempSync(join(tmpdir(), 'fp-check-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function fingerprint(check: unknown): string {
    const plan = parsePlan(JSON.stringify({ name: 'app', ...(check === undefined ? {} : { check }), phases: [{ number: 1, name: 'Setup', plannedFiles: ['a.ts'] }] }), 'phases.json');
    const loaded: LoadedPlan = { plan, planFile: 'apps/app/phases.json', appRoot: 'apps/app', jsonPaths: new Map() };
    return phaseFingerprint(loaded, plan.phases[0], dependencySpecHashes(plan), root);
  }

  it('changes with the check command and maxRepairs, not with the time limit', () => {
    const base = fingerprint({ command: 'npx tsc --noEmit' });
    expect(fingerprint(undefined)).not.toBe(base);
    expect(fingerprint({ command: 'npx tsc --noEmit -p tsconfig.json' })).not.toBe(base);
    expect(fingerprint({ command: 'npx tsc --noEmit', maxRepairs: 1 })).not.toBe(base);
    expect(fingerprint({ command: 'npx tsc --noEmit', timeoutSeconds: 30 })).toBe(base);
  });

  it('changes with the check sandbox (what the check may reach changes whether it passes); false keeps the key', () => {
    const base = fingerprint({ command: 'npx tsc --noEmit' });
    expect(fingerprint({ command: 'npx tsc --noEmit', sandbox: false })).toBe(base);
    const sandboxed = fingerprint({ command: 'npx tsc --noEmit', sandbox: true });
    expect(sandboxed).not.toBe(base);
    expect(fingerprint({ command: 'npx tsc --noEmit', sandbox: { network: false } })).not.toBe(sandboxed);
  });
});
