import { startRemoteCacheServer, type RemoteCacheServer } from '../../nx-phases/src/test-utils/remote-cache-server';
import { runPhasesAsync } from './utils/nx-async';
import { commandGenerator } from './utils/phase-command';
import { projectsRestoredRemotely } from './utils/nx-output';
import { editPlan, phaseOf, phaseProjectName, writeSharingPlan } from './utils/plan-file';
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

describe('remote cache tokens', () => {
  const tokens = { token: 'the-read-write-token', readOnlyToken: 'the-read-only-token' };
  const envWith = (url: string, token: string) => ({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token });
  let server: RemoteCacheServer;

  beforeAll(async () => {
    server = await startRemoteCacheServer(tokens);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("a token the server rejects fails the run with Nx's Unauthorized error quoting the server's text/plain reason", async () => {
    const clone = cloneScenarioWorkspace(scenario.state, workspace, 'remote-packed-wrong-token', { ownHome: true });
    const run = await runPhasesAsync(clone, ['--parallel=3'], { env: envWith(server.url, 'a-wrong-token'), allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('Unauthorized: Missing or invalid bearer token');
      expect(server.requests.length).toBeGreaterThan(0);
      expect(server.requests.filter((r) => r.status !== 401)).toEqual([]);
      expect(server.entries.size).toBe(0);
    });
  });

  it('a read-only token (a pull request) gets every hit and stores nothing; a phase it must generate still succeeds', async () => {
    const writer = cloneScenarioWorkspace(scenario.state, workspace, 'remote-packed-writer', { ownHome: true });
    await runPhasesAsync(writer, ['--parallel=3'], { env: envWith(server.url, tokens.token) });
    const stored = server.stored();
    const reader = cloneScenarioWorkspace(scenario.state, workspace, 'remote-packed-reader', { ownHome: true });
    editPlan(reader.root, 'apps/remote', (p) => void phaseOf(p, 4).features!.push('Changed in the pull request'));
    scenario.resetCalls();
    const run = await runPhasesAsync(reader, ['--parallel=3'], { env: envWith(server.url, tokens.readOnlyToken) });
    withOutput(run, () => {
      expect(stored).toHaveLength(4);
      expect(scenario.calls()).toEqual([4]);
      expect(projectsRestoredRemotely(run.output)).toEqual([1, 2, 3].map((n) => phaseProjectName(plan, n)));
      expect(server.stored()).toEqual(stored);
      expect(server.requests.filter((r) => r.method === 'PUT' && r.status === 403)).toHaveLength(1);
    });
  });
});
