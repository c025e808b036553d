import { existsSync } from 'node:fs';
import { join } from 'node:path';
import phaseExecutor from '../../executors/phase/executor';
import { context, GENERATORS, plan } from '../../executors/phase/test-utils/phase-fixture';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { readPhaseRuns, RUN_ID_ENV } from '../run-records';
import type { AttemptSegment } from './state';

/** The segments' kinds and attempts, after checking they follow each other in time without overlapping. */
function segmentOrder(segments: AttemptSegment[]): string[] {
  segments.forEach((segment, index) => {
    expect(segment.toMs).toBeGreaterThanOrEqual(segment.fromMs);
    if (index > 0) expect(segment.fromMs).toBeGreaterThanOrEqual(segments[index - 1].toMs);
  });
  return segments.map((segment) => `${segment.kind} ${segment.attempt}`);
}

describe('the check step (real executor, real files, real check processes)', () => {
  let ws: TempWorkspace;
  let errors: string[];
  const run = (phase: number) => phaseExecutor({ plan: 'apps/app/phases.json', phase }, context(ws.root));
  const withCheck = (check: unknown, phaseChecks: Record<number, unknown> = {}, extraPhases: unknown[] = []) => {
    const base = plan();
    return { ...base, check, phases: [...base.phases, ...extraPhases].map((p) => (phaseChecks[(p as { number: number }).number] !== undefined ? { ...(p as object), check: phaseChecks[(p as { number: number }).number] } : p)) };
  };

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.installGenerators(GENERATORS);
    ws.write('apps/app/docs/brand.md', 'brand');
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    ws.dispose();
  });

  it('runs the check in the snapshot after the generator and commits when it passes', async () => {
    ws.write('apps/app/phases.json', withCheck({ command: 'grep -q "^Setup|" src/a.ts' }));
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(ws.read('apps/app/src/a.ts')).toMatch(/^Setup\|/);
  });

  it('commits nothing when the check fails, naming the phase, the check and the first diagnostics', async () => {
    ws.write('apps/app/phases.json', withCheck({ command: 'echo "src/a.ts(1,7): error TS2322: Type string is not number."; exit 1', maxRepairs: 0 }));
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(existsSync(join(ws.root, 'apps/app/src/a.ts'))).toBe(false);
    expect(existsSync(join(ws.root, 'apps/app/.phases/1/manifest.json'))).toBe(false);
    const message = errors.join('\n');
    expect(message).toContain('Phase 1 "Setup": the check `echo');
    expect(message).toContain('src/a.ts:1:7 error TS2322: Type string is not number.');
  });

  it('says how to fix a check whose command the shell cannot find (exit 127)', async () => {
    ws.write('apps/app/phases.json', withCheck({ command: 'no-such-type-checker --noEmit', maxRepairs: 0 }));
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toContain('Exit code 127: the shell did not find the check\'s command. Install it in the workspace');
  });

  it.each([
    ['creates a file', 'echo cache > src/check.tsbuildinfo', 'created src/check.tsbuildinfo'],
    ['rewrites a file it checks', 'echo fixed > src/a.ts', 'changed src/a.ts'],
    ['deletes a file', 'rm src/a.ts', 'deleted src/a.ts'],
  ])('fails the phase, committing nothing, when the check %s in the snapshot', async (_what, command, change) => {
    ws.write('apps/app/phases.json', withCheck({ command }));
    await expect(run(1)).resolves.toEqual({ success: false });
    expect(existsSync(join(ws.root, 'apps/app/.phases/1/manifest.json'))).toBe(false);
    expect(existsSync(join(ws.root, 'apps/app/src/a.ts'))).toBe(false);
    expect(errors.join('\n')).toContain(`the check \`${command}\` changed the phase's snapshot (${change}), so nothing was committed`);
  });

  it('runs the check in the command sandbox when the check asks for it, whatever the generator', async () => {
    // The live plan file exists outside the snapshot: visible to an unsandboxed check, absent in the sandbox.
    const command = `test ! -e ${join(ws.root, 'apps/app/phases.json')}`;
    ws.write('apps/app/phases.json', withCheck({ command, maxRepairs: 0 }, { 1: { command, maxRepairs: 0, sandbox: { network: false } } }));
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(ws.read('apps/app/src/a.ts')).toMatch(/^Setup\|/);
    await expect(run(2)).resolves.toEqual({ success: false }); // the control: unsandboxed, the same check sees the host
    expect(errors.join('\n')).toContain(`Phase 2 "Feature": the check \`${command}\` failed (exited with code 1)`);
  });

  it('lets a phase opt out of the plan check or replace it', async () => {
    ws.write('apps/app/phases.json', withCheck({ command: 'exit 1' }, { 1: false, 2: { command: 'test -f src/b.ts' } }));
    await expect(run(1)).resolves.toEqual({ success: true });
    await expect(run(2)).resolves.toEqual({ success: true });
  });

  it('names the missing dependency when a diagnostic points at a file a phase it does not depend on plans', async () => {
    const phase3 = { number: 3, name: 'Reviews', dependencies: [], plannedFiles: ['src/reviews.ts'] };
    ws.write('apps/app/phases.json', withCheck({ command: 'true' }, { 3: { command: `echo "src/reviews.ts(1,20): error TS2307: Cannot find module './b'."; exit 2`, maxRepairs: 0 } }, [phase3]));
    await expect(run(3)).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toContain("phase 3 imports src/b.ts, planned by phase 2, which it does not depend on: add 2 to phase 3's dependencies.");
  });

  describe('repairs with nx-phases:command', () => {
    // Writes "broken" on the first attempt; on a repair it writes what the diagnostics and its context file told it.
    const command = (log: string) =>
      `echo run >> ${log}; mkdir -p src; if [ -n "$NX_PHASES_REPAIR_ATTEMPT" ] && grep -q "src/a.ts:1:1" "$NX_PHASES_CONTEXT_FILE" && [ -n "$FIX" ]; then ` +
      `echo "fixed after $NX_PHASES_REPAIR_ATTEMPT: $(echo "$NX_PHASES_CHECK_DIAGNOSTICS" | grep -o TS2322)" > src/a.ts; else echo broken > src/a.ts; fi`;
    const commandPlan = (fix: boolean, maxRepairs: number) => ({
      name: 'app',
      generator: { use: 'nx-phases:command', options: { command: `${fix ? 'FIX=1 ' : ''}sh -c '${command(join(ws.root, 'runs.log'))}'` } },
      check: { command: 'grep -q fixed src/a.ts || { echo "src/a.ts(1,1): error TS2322: still broken"; exit 1; }', maxRepairs },
      phases: [{ number: 1, name: 'Setup', plannedFiles: ['src/a.ts'] }],
    });
    const runs = () => ws.read('runs.log').trim().split('\n').length;

    it('gives the command the diagnostics (context file and environment) and commits the repaired result', async () => {
      ws.write('apps/app/phases.json', commandPlan(true, 2));
      await expect(run(1)).resolves.toEqual({ success: true });
      expect(ws.read('apps/app/src/a.ts')).toMatch(/^fixed after 1: TS2322\n/);
      expect(runs()).toBe(2);
      const checks = JSON.parse(ws.read('apps/app/.phases/1/manifest.json')).checks;
      expect(checks.map(({ attempt, passed, diagnostics }: { attempt: number; passed: boolean; diagnostics: number }) => ({ attempt, passed, diagnostics }))).toEqual([
        { attempt: 1, passed: false, diagnostics: 1 },
        { attempt: 2, passed: true, diagnostics: 0 },
      ]);
      expect(checks.every((c: { durationMs: number }) => c.durationMs >= 0)).toBe(true);
      expect(segmentOrder(JSON.parse(ws.read('apps/app/.phases/1/manifest.json')).segments)).toEqual(['generate 1', 'check 1', 'repair 2', 'check 2']);
    });

    it('records a failed phase\'s attempts, segments and last diagnostics in its run record', async () => {
      const saved = process.env[RUN_ID_ENV];
      process.env[RUN_ID_ENV] = 'check-run';
      try {
        ws.write('apps/app/phases.json', commandPlan(false, 1));
        await expect(run(1)).resolves.toEqual({ success: false });
        const record = readPhaseRuns(ws.root, 'check-run', 'apps/app/phases.json').get(1)!;
        expect(record.checks!.map(({ attempt, passed }) => ({ attempt, passed }))).toEqual([
          { attempt: 1, passed: false },
          { attempt: 2, passed: false },
        ]);
        expect(segmentOrder(record.segments!)).toEqual(['generate 1', 'check 1', 'repair 2', 'check 2']);
        expect(record.diagnostics).toEqual(['src/a.ts:1:1 error TS2322: still broken']);
      } finally {
        if (saved === undefined) delete process.env[RUN_ID_ENV];
        else process.env[RUN_ID_ENV] = saved;
      }
    });

    it('starts a repair from the previous attempt: a file it does not rewrite stays, a file it deletes is not committed', async () => {
      // Attempt 1 writes a.ts (broken), keep.ts and drop.ts; the repair rewrites only a.ts and deletes drop.ts.
      const script =
        'mkdir -p src; if [ -n "$NX_PHASES_REPAIR_ATTEMPT" ]; then echo fixed > src/a.ts; rm src/drop.ts; ' +
        'else echo broken > src/a.ts; echo attempt-1 > src/keep.ts; echo attempt-1 > src/drop.ts; fi';
      ws.write('apps/app/phases.json', {
        name: 'app',
        generator: { use: 'nx-phases:command', options: { command: `sh -c '${script}'` } },
        check: { command: 'grep -q fixed src/a.ts || { echo "src/a.ts(1,1): error TS2322: broken"; exit 1; }' },
        phases: [{ number: 1, name: 'Setup', plannedFiles: ['src/a.ts', 'src/keep.ts', 'src/drop.ts'] }],
      });
      await expect(run(1)).resolves.toEqual({ success: true });
      expect(ws.read('apps/app/src/a.ts')).toBe('fixed\n');
      expect(ws.read('apps/app/src/keep.ts')).toBe('attempt-1\n');
      expect(existsSync(join(ws.root, 'apps/app/src/drop.ts'))).toBe(false);
      expect(Object.keys(JSON.parse(ws.read('apps/app/.phases/1/manifest.json')).files).sort()).toEqual(['src/a.ts', 'src/keep.ts']);
    });

    it('fails after maxRepairs with the last diagnostics, committing nothing', async () => {
      ws.write('apps/app/phases.json', commandPlan(false, 1));
      await expect(run(1)).resolves.toEqual({ success: false });
      expect(runs()).toBe(2);
      expect(existsSync(join(ws.root, 'apps/app/src/a.ts'))).toBe(false);
      expect(errors.join('\n')).toContain('src/a.ts:1:1 error TS2322: still broken');
    });
  });
});
