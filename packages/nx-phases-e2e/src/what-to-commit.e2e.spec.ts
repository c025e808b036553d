import { rmSync } from 'node:fs';
import { describeFolder, readFolder } from './utils/folder-snapshot';
import { commandGenerator } from './utils/phase-command';
import { writeSharingPlan } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';
import { cloneScenarioWorkspace } from './utils/workspace-factory';

/**
 * README "What to commit": the generated app goes into git together with its `.phases/` records. A fresh clone on
 * another machine (its own HOME, so an empty local cache, and no remote cache) then gets every phase back without
 * calling a generator; the same clone without the records calls every generator again.
 */
describe('committing the app with its .phases records', () => {
  const scenario = createScenario('what-to-commit');
  const { workspace } = scenario;
  const app = 'apps/kept';
  const appFiles = (root: string) => describeFolder(readFolder(root));

  beforeAll(() => {
    writeSharingPlan(workspace.root, app, 'kept', commandGenerator(scenario.command()));
    workspace.commitAll('plan');
    scenario.resetCalls();
    const first = workspace.runPhases(['--parallel=3']);
    withOutput(first, () => expect(scenario.calls()).toEqual([1, 2, 3, 4]));
    workspace.commitAll('the generated app and its records');
  });

  it('a fresh clone with an empty cache re-commits every phase from its record, calling no generator', () => {
    const clone = cloneScenarioWorkspace(scenario.state, workspace, 'what-to-commit-clone', { ownHome: true });
    scenario.resetCalls();
    const run = clone.runPhases(['--parallel=3']);
    withOutput(run, () => {
      expect(scenario.calls()).toEqual([]);
      expect(run.output).toContain('Reused the committed result');
      expect(appFiles(clone.path(app))).toEqual(appFiles(workspace.path(app)));
    });
  });

  it('the same clone without the records calls every generator again', () => {
    const clone = cloneScenarioWorkspace(scenario.state, workspace, 'what-to-commit-no-records', { ownHome: true });
    rmSync(clone.path(app, '.phases'), { recursive: true, force: true });
    scenario.resetCalls();
    const run = clone.runPhases(['--parallel=3']);
    withOutput(run, () => expect(scenario.calls()).toEqual([1, 2, 3, 4]));
  });
});
