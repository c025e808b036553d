import { existsSync, rmSync } from 'node:fs';
import { commandGenerator } from './utils/phase-command';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * A plan with a fixed conflict prints the fix once per nx command, with the daemon off (this suite's default) when
 * the command computes a fresh project graph: createNodes prints it outside a task run (`nx graph`, `nx show`), and
 * in a run of the phase target the run prints it (the plan's aggregate task, or the phase that got the edge).
 * With the daemon on, see daemon-output.e2e.
 */
describe('the conflict-fix warning, daemon off, fresh project graph', () => {
  const scenario = createScenario('conflict-warning');
  const { workspace } = scenario;
  const plan: PlanDocument = {
    name: 'clash',
    generator: commandGenerator(scenario.command()),
    phases: [
      { number: 1, name: 'Setup', plannedFiles: ['src/app.ts'] },
      { number: 2, name: 'Header', dependencies: [1], plannedFiles: ['src/shared.ts', 'src/header.ts'] },
      { number: 3, name: 'Footer', dependencies: [1], plannedFiles: ['src/shared.ts', 'src/footer.ts'] },
    ],
  };
  const warning = 'nx-phases: apps/clash/phases.json: Phase 2 (Header) and Phase 3 (Footer) both plan to write src/shared.ts; 3 now runs after 2';
  const count = (output: string) => output.split(warning).length - 1;
  /** Forgets the cached project graph, so the next nx command computes it (createNodes runs in it). */
  const freshGraph = () => {
    rmSync(workspace.path('.nx', 'workspace-data'), { recursive: true, force: true });
    expect(existsSync(workspace.path('.nx', 'workspace-data', 'project-graph.json'))).toBe(false);
  };

  beforeAll(() => {
    writePlan(workspace.root, 'apps/clash', plan);
    workspace.commitAll('clash plan');
  });

  it('nx run-many -t phase prints it exactly once', () => {
    freshGraph();
    const run = workspace.nx(['run-many', '-t', 'phase']);
    withOutput(run, () => {
      expect(scenario.calls()).toEqual([1, 2, 3]);
      expect(count(run.output)).toBe(1);
    });
  });

  it('a run of only the phase that got the edge prints it once, in that phase\'s output (the aggregate task is not in it)', () => {
    freshGraph();
    // Command phases run in one batch by default, and Nx folds a successful batched phase's output unless the output
    // style is static (README, batch mode): the warning is in the phase's output, so ask Nx to show it.
    const run = workspace.nx(['run-many', '-t', 'phase', '-p', 'clash-3-footer', '--skip-nx-cache', '--excludeTaskDependencies', '--outputStyle=static']);
    withOutput(run, () => expect(count(run.output)).toBe(1));
  });

  it('nx show projects (no task run) prints it once, from createNodes', () => {
    freshGraph();
    const shown = workspace.nx(['show', 'projects']);
    withOutput(shown, () => expect(count(shown.output)).toBe(1));
  });
});
