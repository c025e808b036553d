import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startRemoteCacheServer, type RemoteCacheServer } from '../../nx-phases/src/test-utils/remote-cache-server';
import type { E2eWorkspace, NxRun } from './utils/e2e-workspace';
import { describeFolder, readFolder } from './utils/folder-snapshot';
import { runPhasesAsync } from './utils/nx-async';
import { projectsRestoredRemotely } from './utils/nx-output';
import { withOutput } from './utils/with-output';

/** Two machines sharing one remote cache: what the shared test below needs to know about them. */
export interface TwoMachines {
  /** Fills the remote cache. */
  first: E2eWorkspace;
  /** Another checkout with its own HOME (so its own, empty, local cache). */
  second: E2eWorkspace;
  /** Workspace-relative app roots whose files and records must come out byte-identical. */
  apps: string[];
  /** The phase projects a full `nx run-many -t phase` runs in either workspace, sorted. */
  phaseProjects: string[];
  /** Phase numbers whose logging `command` generator ran since `resetCalls()` (any machine). */
  calls(): number[];
  resetCalls(): void;
  /** The phase numbers of the logging `command` plan (all of them call the generator on the first machine). */
  loggedPhases: number[];
}

/** The bearer token the tests give both the server and nx (as a CI secret would). */
const TOKEN = 'e2e-remote-cache-token';

/**
 * The shared scenario of issue 8 item 2: the first machine runs `nx run-many -t phase --parallel=3` against a
 * loopback remote cache server and fills it; the second machine, with its own HOME and an empty local cache,
 * gets every phase from the server, calls no generator, and ends with byte-identical app files and records.
 */
export function describeRemoteCacheSharing(
  title: string,
  setUp: () => TwoMachines | Promise<TwoMachines>,
  options: { setUpTimeoutMs?: number } = {},
): void {
  describe(title, () => {
    let machines: TwoMachines;
    let server: RemoteCacheServer;
    let first: { run: NxRun; calls: number[]; hashes: Record<string, string> };
    let second: { run: NxRun; calls: number[]; hashes: Record<string, string>; localCacheBefore: string[]; served: number };
    const run = (workspace: E2eWorkspace) =>
      runPhasesAsync(workspace, ['--parallel=3'], {
        env: { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN },
      });

    beforeAll(async () => {
      machines = await setUp();
      server = await startRemoteCacheServer({ token: TOKEN });
      machines.resetCalls();
      const firstRun = await run(machines.first);
      first = { run: firstRun, calls: machines.calls(), hashes: phaseHashes(machines.first, machines.phaseProjects) };
      machines.resetCalls();
      const localCacheBefore = localCacheEntries(machines.second);
      const requestsBefore = server.requests.length;
      const secondRun = await run(machines.second);
      const served = server.requests.slice(requestsBefore).filter((r) => r.method === 'GET' && r.status === 200).length;
      second = { run: secondRun, calls: machines.calls(), hashes: phaseHashes(machines.second, machines.phaseProjects), localCacheBefore, served };
    }, options.setUpTimeoutMs);

    afterAll(async () => {
      await server?.close();
    });

    it('the first machine generates every phase and stores each phase task in the remote cache', () => {
      withOutput(first.run, () => {
        expect(first.calls).toEqual(machines.loggedPhases);
        expect(first.run.ran.filter((p) => machines.phaseProjects.includes(p))).toEqual(machines.phaseProjects);
        expect(Object.values(first.hashes).filter((hash) => !server.entries.has(hash))).toEqual([]);
      });
    });

    it('the second machine (own HOME, empty local cache) restores every phase from the server and calls no generator', () => {
      withOutput(second.run, () => {
        expect(second.localCacheBefore).toEqual([]);
        expect(second.calls).toEqual([]);
        expect(second.run.ran.filter((p) => machines.phaseProjects.includes(p))).toEqual([]);
        expect(projectsRestoredRemotely(second.run.output)).toEqual(machines.phaseProjects);
        expect(second.hashes).toEqual(first.hashes);
        expect(second.served).toBe(machines.phaseProjects.length);
      });
    });

    it('gets byte-identical app files and records (manifests, record copies, snapshot digests)', () => {
      for (const app of machines.apps) {
        const firstFiles = readFolder(machines.first.path(app));
        expect([...firstFiles.keys()].filter((path) => path.endsWith('manifest.json')).length).toBeGreaterThan(0);
        expect(describeFolder(readFolder(machines.second.path(app)))).toEqual(describeFolder(firstFiles));
      }
    });
  });
}

/** Task results in a workspace's local Nx cache (`~/.nx/<id>/cache/<hash>`, or the checkout's `.nx/cache/<hash>`). */
function localCacheEntries(workspace: E2eWorkspace): string[] {
  const shared = join(workspace.home, '.nx');
  const folders = existsSync(shared) ? readdirSync(shared).map((id) => join(shared, id, 'cache')) : [];
  return [...folders, workspace.path('.nx', 'cache')]
    .filter((folder) => existsSync(folder))
    .flatMap((folder) => readdirSync(folder).filter((name) => /^\d+$/.test(name)).map((name) => join(folder, name)));
}

/** Task hash of each phase project's `phase` task in a workspace's last nx run. */
function phaseHashes(workspace: E2eWorkspace, projects: string[]): Record<string, string> {
  const tasks = workspace.lastRunTasks();
  return Object.fromEntries(projects.map((project) => [project, tasks.get(`${project}:phase`)?.hash ?? '(not run)']));
}
