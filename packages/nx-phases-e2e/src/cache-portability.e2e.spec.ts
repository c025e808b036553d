import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { commandGenerator } from './utils/phase-command';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';
import { createScenarioWorkspace } from './utils/e2e-workspace';

/**
 * Principle 3 across machines: the same plan in two workspaces at different paths (two CI machines)
 * gets the same task hashes, so a shared remote cache would serve the second one.
 */
describe('cache keys do not depend on where the workspace lives', () => {
  const scenario = createScenario('portable-a');
  const other = createScenarioWorkspace(scenario.state, 'portable-b-at-another-path');
  const plan: PlanDocument = {
    name: 'portable',
    generator: commandGenerator(scenario.command()),
    context: ['docs/brief.md'],
    phases: [
      { number: 1, name: 'Setup', features: ['Shell'], plannedFiles: ['src/app.ts', 'src/shared.ts'] },
      { number: 2, name: 'Modify', features: ['More'], dependencies: [1], plannedFiles: ['src/shared.ts'] },
      { number: 3, name: 'Read', features: ['Read'], dependencies: [1], plannedFiles: ['src/read.ts'] },
      { number: 4, name: 'End', features: ['End'], dependencies: [2, 3], plannedFiles: ['src/end.ts'] },
    ],
  };

  beforeAll(() => {
    writePlan(scenario.workspace.root, 'apps/portable', plan);
    mkdirSync(scenario.workspace.path('apps/portable/docs'), { recursive: true });
    writeFileSync(scenario.workspace.path('apps/portable/docs/brief.md'), '# Portable\n');
    cpSync(scenario.workspace.path('apps/portable'), other.path('apps/portable'), { recursive: true });
    scenario.workspace.commitAll('plan');
    other.commitAll('plan');
  });

  it('gives every phase task the same hash in both workspaces', () => {
    const first = scenario.workspace.runPhases(['--parallel=3']);
    const second = other.runPhases(['--parallel=1']);
    const hashes = (tasks: Map<string, { hash: string }>) =>
      Object.fromEntries([...tasks].filter(([id]) => id.startsWith('portable-')).map(([id, t]) => [id, t.hash]));
    withOutput(second, () => {
      const a = hashes(scenario.workspace.lastRunTasks());
      expect(Object.keys(a)).toHaveLength(4);
      expect(hashes(other.lastRunTasks())).toEqual(a);
    });
    expect(first.status).toBe(0);
  });
});
