import { mkdirSync, writeFileSync } from 'node:fs';
import { commandGenerator } from './utils/phase-command';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { describeRemoteCacheSharing } from './remote-cache-sharing';
import { createScenario } from './utils/scenario';
import { cloneScenarioWorkspace } from './utils/workspace-factory';

/**
 * Issue 8 item 2 with the packed plugin: two checkouts of one workspace, each with its own HOME and local
 * cache, share Nx's self-hosted HTTP remote cache (a loopback server). The second calls no generator.
 */
describeRemoteCacheSharing('the packed plugin shares phases through an HTTP remote cache', () => {
  const scenario = createScenario('remote-packed-a');
  const { workspace } = scenario;
  const plan: PlanDocument = {
    name: 'remote',
    generator: commandGenerator(scenario.command()),
    context: ['docs/brief.md'],
    phases: [
      { number: 1, name: 'Setup', features: ['Shell'], plannedFiles: ['src/app.ts', 'src/shared.ts'] },
      { number: 2, name: 'Modify', features: ['More'], dependencies: [1], plannedFiles: ['src/shared.ts'] },
      { number: 3, name: 'Read', features: ['Read'], dependencies: [1], plannedFiles: ['src/read.ts'] },
      { number: 4, name: 'End', features: ['End'], dependencies: [2, 3], plannedFiles: ['src/end.ts'] },
    ],
  };
  writePlan(workspace.root, 'apps/remote', plan);
  mkdirSync(workspace.path('apps/remote/docs'), { recursive: true });
  writeFileSync(workspace.path('apps/remote/docs/brief.md'), '# Remote\n');
  workspace.commitAll('remote plan');
  return {
    first: workspace,
    second: cloneScenarioWorkspace(scenario.state, workspace, 'remote-packed-b', { ownHome: true }),
    apps: ['apps/remote'],
    phaseProjects: plan.phases.map((p) => phaseProjectName(plan, p.number)).sort(),
    loggedPhases: [1, 2, 3, 4],
    calls: scenario.calls,
    resetCalls: scenario.resetCalls,
  };
});
