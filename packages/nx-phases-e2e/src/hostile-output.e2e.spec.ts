import { existsSync } from 'node:fs';
import { failedTasks } from './utils/nx-output';
import { commandGenerator } from './utils/phase-command';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { guardSentinel } from './utils/sentinel';
import { withOutput } from './utils/with-output';

/** Prints `mb` MB of 64-byte lines on stdout (none for 0), then its failure reason on stderr, and fails. */
const loudCommand = (mb: number) =>
  (mb > 0 ? `yes 'loud line ........................................................' | head -c ${mb * 1024 * 1024}; ` : '') +
  `echo 'the loud phase gives up: reason at the very end' >&2; exit 3`;

/**
 * Issue 17 item 8: a phase printing hundreds of MB was reported failed with no reason in `--batch` (nx exited 130),
 * and killed Nx without it (`Invalid string length`). Its output is now cut past NX_PHASES_MAX_OUTPUT_MB with a
 * note, in both modes, and the failure reason (the end of the output) is always printed. The limit is lowered to
 * 1 MB so that 24 MB shows it; one run keeps the default limit (8 MB) against 64 MB.
 */
describe('a phase that prints far more than Nx can hold', () => {
  const scenario = createScenario('hostile-output');
  const { workspace: ws } = scenario;
  guardSentinel('hostile-output');
  const plan = (mb: number): PlanDocument => ({
    name: 'loud',
    generator: commandGenerator(scenario.command()),
    phases: [
      { number: 1, name: 'Loud', features: ['Noise'], plannedFiles: ['src/loud.ts'], generator: commandGenerator(loudCommand(mb)) },
      { number: 2, name: 'Quiet', features: ['Calm'], plannedFiles: ['src/quiet.ts'] },
    ],
  });

  // Nx exits 130 ("not completed") whenever a failed phase leaves the plan's aggregate task unrun: a loud phase must
  // end exactly like a quiet one that fails the same way (measured in the first test).
  let quietFailureStatus: number | null;
  const expectCutWithReason = (mode: string, run: ReturnType<typeof ws.runPhases>, limitMb: number) =>
    withOutput(run, () => {
      expect({ mode, status: run.status }).toEqual({ mode, status: quietFailureStatus });
      expect(failedTasks(run.output)).toEqual(['loud-1-loud:phase']);
      expect(run.output).toMatch(/\[nx-phases: \d+\.\d MB of this phase's output dropped here: it wrote \d+\.\d MB/);
      expect(run.output).toContain('the loud phase gives up: reason at the very end');
      expect(run.output).toContain('Phase 1 "Loud": the command exited with code 3.');
      expect(run.output).not.toContain('Invalid string length');
      // Nx prints a failed task's output (sometimes twice: as it runs and in the summary); far below what was written.
      expect(run.output.length).toBeLessThan(3 * limitMb * 1024 * 1024 + 256 * 1024);
      expect(existsSync(ws.path('apps/loud/src/loud.ts'))).toBe(false);
      expect(existsSync(ws.path('apps/loud/src/quiet.ts'))).toBe(true);
    });

  beforeAll(() => {
    writePlan(ws.root, 'apps/loud', plan(0));
    ws.commitAll('loud plan');
    const quiet = ws.runPhases(['--skip-nx-cache'], { allowFailure: true });
    quietFailureStatus = quiet.status;
    withOutput(quiet, () => {
      expect(quiet.status).not.toBe(0);
      expect(quiet.output).toContain('the loud phase gives up: reason at the very end');
      expect(quiet.output).not.toContain('of this phase\'s output dropped');
    });
    writePlan(ws.root, 'apps/loud', plan(24));
  });

  it('without --batch: the output is cut with a note, the reason printed, and nx reports the failure', () => {
    const run = ws.runPhases(['--skip-nx-cache'], { allowFailure: true, env: { NX_PHASES_MAX_OUTPUT_MB: '1' } });
    expectCutWithReason('plain', run, 1);
  });

  it('with --batch: the same', () => {
    const run = ws.runPhases(['--batch', '--skip-nx-cache'], { allowFailure: true, env: { NX_PHASES_MAX_OUTPUT_MB: '1' } });
    expectCutWithReason('batch', run, 1);
  });

  it('at the default limit (8 MB), a phase printing 64 MB in --batch', () => {
    writePlan(ws.root, 'apps/loud', plan(64));
    const run = ws.runPhases(['--batch', '--skip-nx-cache'], { allowFailure: true });
    expectCutWithReason('batch, default limit', run, 8);
  });
});
