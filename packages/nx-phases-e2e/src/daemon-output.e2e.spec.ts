import { existsSync, readFileSync } from 'node:fs';
import type { NxRun } from './utils/e2e-workspace';
import { commandGenerator } from './utils/phase-command';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * Issue 11 item 4 and issue 16 item 4: with the Nx daemon on, `postTasksExecution` runs inside the daemon and prints
 * into its log, and Nx's default output for `run-many` (piped: `static-failures-only`) collapses every successful
 * task to one line. The summary, the pointer to the Gantt page and the conflict-fix warnings must still reach the
 * terminal, each once, with the command the README gives (no output style chosen).
 */
describe('terminal output with NX_DAEMON=true', () => {
  const scenario = createScenario('daemon-output');
  const { workspace } = scenario;
  const daemon = { NX_DAEMON: 'true' };
  // Phases 2 and 3 both plan src/shared.ts: conflict resolution makes 3 run after 2.
  const plan: PlanDocument = {
    name: 'daemonic',
    generator: commandGenerator(scenario.command()),
    phases: [
      { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['src/app.ts'] },
      { number: 2, name: 'Header', dependencies: [1], plannedFiles: ['src/shared.ts', 'src/header.ts'] },
      { number: 3, name: 'Footer', dependencies: [1], plannedFiles: ['src/shared.ts', 'src/footer.ts'] },
      { number: 4, name: 'Page', dependencies: [2, 3], plannedFiles: ['src/page.ts'] },
    ],
  };
  const conflictWarning = 'nx-phases: apps/daemonic/phases.json: Phase 2 (Header) and Phase 3 (Footer) both plan to write src/shared.ts; 3 now runs after 2';
  const pointer = 'Run report: .nx/nx-phases/last-run.html (Gantt chart, open it in a browser) and .nx/nx-phases/last-run.json';
  let first: NxRun;
  let second: NxRun;

  beforeAll(() => {
    writePlan(workspace.root, 'apps/daemonic', plan);
    workspace.commitAll('daemonic plan');
    first = workspace.nx(['run-many', '-t', 'phase', '--parallel=2'], { env: daemon });
    second = workspace.nx(['run-many', '-t', 'phase', '--parallel=2'], { env: daemon });
  });

  afterAll(() => {
    workspace.nx(['daemon', '--stop'], { env: daemon, allowFailure: true });
  });

  const occurrences = (text: string, part: string) => text.split(part).length - 1;

  it('really ran with the daemon: its log shows the task hooks ran there', () => {
    const log = workspace.path('.nx', 'workspace-data', 'd', 'daemon.log');
    withOutput(first, () => {
      expect(existsSync(log)).toBe(true);
      expect(readFileSync(log, 'utf8')).toContain('POST_TASKS_EXECUTION');
    });
  });

  it('prints the conflict-fix warning, the summary with average concurrency and the pointer to the Gantt page', () => {
    withOutput(first, () => {
      expect(first.ran).toEqual(['daemonic-1-setup', 'daemonic-2-header', 'daemonic-3-footer', 'daemonic-4-page']);
      // Command phases run in one batch by default: Nx folds each successful batched phase into its `✔  nx run`
      // line (README, batch mode); the summary below is printed in full all the same.
      expect(first.output).toContain('Running 4 tasks with nx-phases:phase-io');
      expect(occurrences(first.output, conflictWarning)).toBe(1);
      expect(occurrences(first.output, 'nx-phases: daemonic: 4 phases: 4 ran, 0 cache hits, 0 failed, 0 skipped (--parallel=2)')).toBe(1);
      expect(first.output).toMatch(/makespan [\d.]+ m?s · Σ durations [\d.]+ m?s · average concurrency \d+\.\d\d · lower bound/);
      expect(first.output).toContain('speed-up: not measured (no sequential baseline of these 4 phases');
      expect(occurrences(first.output, pointer)).toBe(1);
      expect(existsSync(workspace.path('.nx', 'nx-phases', 'last-run.html'))).toBe(true);
    });
  });

  it('says the phases came from cache on a re-run, and still prints the conflict fix', () => {
    withOutput(second, () => {
      expect(second.ran).toEqual([]);
      expect(occurrences(second.output, 'nx-phases: daemonic: 4 phases: 0 ran, 4 cache hits, 0 failed, 0 skipped (--parallel=2)')).toBe(1);
      expect(occurrences(second.output, conflictWarning)).toBe(1);
      expect(occurrences(second.output, pointer)).toBe(1);
    });
  });
});
