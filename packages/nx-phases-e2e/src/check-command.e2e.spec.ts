import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NxRun } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { failedTasks } from './utils/nx-output';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * Issue 19 through real Nx and the packed plugin with nx-phases:command: a command that repairs from the diagnostics
 * it is given (context file and environment), and a check that runs inside the bubblewrap sandbox when the phase's
 * command or the check itself asks for one (the same check without a sandbox is the control: its write outside the
 * snapshot lands).
 */
describe('command generators: repair from the diagnostics, and the check in the sandbox (nx run-many)', () => {
  const scenario = createScenario('check-command');
  const { workspace } = scenario;
  const appDir = 'apps/cmd-check';
  const app = (...parts: string[]) => workspace.path(appDir, ...parts);
  const runsLog = join(scenario.state.tempRoot, 'logs', 'check-command-runs.log');
  const CHECK = `! grep -n BROKEN src/*.ts | awk -F: '{ print $1 "(" $2 ",1): error TS2322: " $3 }' | grep .`;
  /** Broken on the first attempt; a repair writes a fix only when its context file and environment carry the diagnostic. */
  const repairing =
    `echo run >> ${runsLog}; mkdir -p src; ` +
    'if [ -n "$NX_PHASES_REPAIR_ATTEMPT" ] && grep -q "src/repaired.ts:1:1" "$NX_PHASES_CONTEXT_FILE" && echo "$NX_PHASES_CHECK_DIAGNOSTICS" | grep -q TS2322; ' +
    'then echo "export const repaired = $NX_PHASES_REPAIR_ATTEMPT;" > src/repaired.ts; else echo "export const repaired = 0; // BROKEN" > src/repaired.ts; fi';
  /**
   * Tries to create `escape` (a path in the workspace, outside the snapshot), then passes when the phase's file is
   * there. Sandboxed, the write fails or lands in the sandbox's private /tmp (thrown away): the host never sees it.
   */
  const escapingCheck = (escape: string, file: string) => `touch ${escape} 2>/dev/null; grep -q phase ${file}`;
  const writes = (path: string, text: string) => `sh -c 'mkdir -p src; echo "export const phase = \\"${text}\\";" > ${path}'`;
  let plan: PlanDocument;
  let first: NxRun;

  beforeAll(async () => {
    plan = {
      name: 'cmd-check',
      generator: { use: 'nx-phases:command', options: { command: writes('src/setup.ts', 'setup') } },
      check: { command: CHECK },
      phases: [
        { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['src/setup.ts'] },
        { number: 2, name: 'Repaired', dependencies: [1], plannedFiles: ['src/repaired.ts'], generator: { use: 'nx-phases:command', options: { command: `sh -c '${repairing}'` } } },
        {
          number: 3, name: 'Sandboxed', dependencies: [1], plannedFiles: ['src/sandboxed.ts'],
          generator: { use: 'nx-phases:command', options: { command: writes('src/sandboxed.ts', 'sandboxed'), sandbox: { network: false } } },
          check: { command: escapingCheck(workspace.path('escape-3'), 'src/sandboxed.ts'), maxRepairs: 0 },
        },
        {
          number: 4, name: 'Unsandboxed', dependencies: [1], plannedFiles: ['src/unsandboxed.ts'],
          generator: { use: 'nx-phases:command', options: { command: writes('src/unsandboxed.ts', 'unsandboxed') } },
          check: { command: escapingCheck(workspace.path('escape-4'), 'src/unsandboxed.ts'), maxRepairs: 0 },
        },
        {
          // An unsandboxed generator, but the plan asks for the check itself to be sandboxed.
          number: 5, name: 'Check sandboxed', dependencies: [1], plannedFiles: ['src/checked.ts'],
          generator: { use: 'nx-phases:command', options: { command: writes('src/checked.ts', 'checked') } },
          check: { command: escapingCheck(workspace.path('escape-5'), 'src/checked.ts'), maxRepairs: 0, sandbox: true },
        },
      ],
    } as PlanDocument;
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('cmd-check plan');
    first = await runPhasesAsync(workspace, ['--parallel=3'], { allowFailure: true });
  });

  const generatorRuns = () => (existsSync(runsLog) ? readFileSync(runsLog, 'utf8').trim().split('\n').length : 0);

  it('a command repairs from the diagnostics in its context file and environment: 1 repair, committed, then a cache hit', async () => {
    withOutput(first, () => {
      expect(failedTasks(first.output)).not.toContain(`${phaseProjectName(plan, 2)}:phase`);
      expect(existsSync(app('src/repaired.ts')) && readFileSync(app('src/repaired.ts'), 'utf8')).toBe('export const repaired = 1;\n');
      const manifest = JSON.parse(readFileSync(app('.phases/2/manifest.json'), 'utf8'));
      expect(manifest.checks.map((check: { passed: boolean }) => check.passed)).toEqual([false, true]);
      expect(generatorRuns()).toBe(2);
    });
    const again = await runPhasesAsync(workspace, ['--parallel=3', `--projects=${phaseProjectName(plan, 2)}`], { allowFailure: true });
    withOutput(again, () => {
      expect(again.outcomes.get(phaseProjectName(plan, 2))).toBe('cache');
      expect(generatorRuns()).toBe(2);
    });
  });

  it('runs the check inside the sandbox the phase\'s command asks for: its write outside the snapshot never reaches the host', () => {
    withOutput(first, () => {
      expect(failedTasks(first.output)).not.toContain(`${phaseProjectName(plan, 3)}:phase`);
      expect(existsSync(workspace.path('escape-3'))).toBe(false);
      expect(existsSync(app('src/sandboxed.ts')) && readFileSync(app('src/sandboxed.ts'), 'utf8')).toContain('sandboxed');
    });
  });

  it('runs the check inside the sandbox the check itself asks for, whatever the generator', () => {
    withOutput(first, () => {
      expect(failedTasks(first.output)).not.toContain(`${phaseProjectName(plan, 5)}:phase`);
      expect(existsSync(workspace.path('escape-5'))).toBe(false);
      expect(existsSync(app('src/checked.ts')) && readFileSync(app('src/checked.ts'), 'utf8')).toContain('checked');
    });
  });

  it('the same check without a sandbox (the control) does write outside its snapshot', () => {
    withOutput(first, () => {
      expect(failedTasks(first.output)).not.toContain(`${phaseProjectName(plan, 4)}:phase`);
      expect(existsSync(workspace.path('escape-4'))).toBe(true);
    });
  });
});
