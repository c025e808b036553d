import { cpSync } from 'node:fs';
import type { E2eWorkspace } from './utils/e2e-workspace';
import { cloneScenarioWorkspace, createScenarioWorkspace } from './utils/workspace-factory';
import { describeFolder, readFolder } from './utils/folder-snapshot';
import { commandGenerator } from './utils/phase-command';
import { writeSharingPlan } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * Principle 3 across machines: the same plan in a workspace at another path gets the same task hashes,
 * and a second checkout that shares the cache (Nx 23 shares `~/.nx/<repo id>` between checkouts of one
 * repository, our stand-in for a remote cache) calls no generator at all.
 */
describe('cache keys do not depend on where the workspace lives', () => {
  const scenario = createScenario('portable-a');
  const { workspace } = scenario;
  const phaseHashes = (ws: E2eWorkspace) =>
    Object.fromEntries([...ws.lastRunTasks()].filter(([id]) => id.startsWith('portable-')).map(([id, t]) => [id, t.hash]));
  let firstHashes: Record<string, string>;

  beforeAll(() => {
    writeSharingPlan(workspace.root, 'apps/portable', 'portable', commandGenerator(scenario.command()));
    workspace.commitAll('plan');
    scenario.resetCalls();
    const first = workspace.runPhases(['--parallel=3']);
    withOutput(first, () => expect(scenario.calls()).toEqual([1, 2, 3, 4]));
    firstHashes = phaseHashes(workspace);
  });

  it('gives every phase task the same hash in a workspace at another path', () => {
    const other = createScenarioWorkspace(scenario.state, 'portable-b-at-another-path');
    cpSync(workspace.path('apps/portable/phases.json'), other.path('apps/portable/phases.json'));
    cpSync(workspace.path('apps/portable/docs'), other.path('apps/portable/docs'), { recursive: true });
    other.commitAll('plan');
    const run = other.runPhases(['--parallel=1']);
    withOutput(run, () => {
      expect(Object.keys(firstHashes)).toHaveLength(4);
      expect(phaseHashes(other)).toEqual(firstHashes);
    });
  });

  it('restores a second checkout sharing the cache without calling any generator, byte-identical', () => {
    const clone = cloneScenarioWorkspace(scenario.state, workspace, 'portable-c-clone');
    scenario.resetCalls();
    const run = clone.runPhases(['--parallel=3']);
    withOutput(run, () => {
      expect(scenario.calls()).toEqual([]);
      expect(run.ran).toEqual([]);
    });
    expect(describeFolder(readFolder(clone.path('apps/portable')))).toEqual(describeFolder(readFolder(workspace.path('apps/portable'))));
  });
});
