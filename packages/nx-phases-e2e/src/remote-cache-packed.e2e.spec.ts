import { startRemoteCacheServer } from '../../nx-phases/src/test-utils/remote-cache-server';
import { runPhasesAsync } from './utils/nx-async';
import { commandGenerator } from './utils/phase-command';
import { phaseProjectName, writeSharingPlan } from './utils/plan-file';
import { describeRemoteCacheSharing } from './remote-cache-sharing';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';
import { cloneScenarioWorkspace } from './utils/workspace-factory';

const scenario = createScenario('remote-packed-a');
const { workspace } = scenario;
const plan = writeSharingPlan(workspace.root, 'apps/remote', 'remote', commandGenerator(scenario.command()));
workspace.commitAll('remote plan');

/**
 * Issue 8 item 2 with the packed plugin: two checkouts of one workspace, each with its own HOME and local
 * cache, share Nx's self-hosted HTTP remote cache (a loopback server). The second calls no generator.
 */
describeRemoteCacheSharing('the packed plugin shares phases through an HTTP remote cache', () => ({
  first: workspace,
  second: cloneScenarioWorkspace(scenario.state, workspace, 'remote-packed-b', { ownHome: true }),
  apps: ['apps/remote'],
  phaseProjects: plan.phases.map((p) => phaseProjectName(plan, p.number)).sort(),
  loggedPhases: [1, 2, 3, 4],
  calls: scenario.calls,
  resetCalls: scenario.resetCalls,
}));

describe('a remote cache token the server rejects', () => {
  it("fails the run with Nx's Unauthorized error quoting the server's text/plain reason", async () => {
    const server = await startRemoteCacheServer({ token: 'the-right-token' });
    try {
      const clone = cloneScenarioWorkspace(scenario.state, workspace, 'remote-packed-wrong-token', { ownHome: true });
      const run = await runPhasesAsync(clone, ['--parallel=3'], {
        env: { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'a-wrong-token' },
        allowFailure: true,
      });
      withOutput(run, () => {
        expect(run.status).not.toBe(0);
        expect(run.output).toContain('Unauthorized: Missing or invalid bearer token');
        expect(server.requests.length).toBeGreaterThan(0);
        expect(server.requests.filter((r) => r.status !== 401)).toEqual([]);
        expect(server.entries.size).toBe(0);
      });
    } finally {
      await server.close();
    }
  });
});
