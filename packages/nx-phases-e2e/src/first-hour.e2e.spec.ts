import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { E2eWorkspace, NxRun } from './utils/e2e-workspace';
import { loadState } from './utils/e2e-state';
import { createFreshWorkspace, installedNx } from './utils/fresh-workspace';
import { git } from './utils/git';
import { startNx } from './utils/nx-async';
import { NX_MATRIX } from './utils/nx-matrix';
import { openaiGenerator, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { writePlan } from './utils/plan-file';
import { npmEnvWithHome } from './utils/template-workspace';
import { withOutput } from './utils/with-output';

/**
 * Issue 16: a new user's first hour, in a fresh workspace of their own, on the oldest and the newest Nx the plugin
 * supports. One `npm install` per Nx release (nx, @nx/devkit and the packed plugin, no --legacy-peer-deps), reused by
 * every step: init → plan → the exact "Next:" command the planner printed (piped, with the Nx daemon on) → verify;
 * then a broken second plan and a mistyped openai option, each removed again.
 */
describe.each(NX_MATRIX)('the first hour on the $label supported Nx ($nx, @nx/devkit $devkit)', (release) => {
  const state = loadState();
  const daemon = { NX_DAEMON: 'true' };
  let workspace: E2eWorkspace;
  let planOutput: string;
  let next: NxRun;

  beforeAll(() => {
    workspace = createFreshWorkspace(state, `first-hour-${release.label}`, release);
  });

  afterAll(() => {
    workspace?.nx(['daemon', '--stop'], { env: daemon, allowFailure: true });
  });

  it('installs the packed plugin next to exactly that nx and @nx/devkit, with no peer dependency error', () => {
    expect(installedNx(workspace)).toEqual({ nx: release.nx, devkit: release.devkit });
  });

  it('init registers the plugin, adds its local paths to .gitignore, and keeps the Nx version', () => {
    const init = workspace.nx(['g', 'nx-phases:init', '--no-interactive'], { env: npmCacheEnv(workspace) });
    withOutput(init, () => {
      expect(JSON.parse(readFileSync(workspace.path('nx.json'), 'utf8')).plugins).toEqual(['nx-phases']);
      expect(readFileSync(workspace.path('.gitignore'), 'utf8').split('\n')).toEqual(
        expect.arrayContaining(['node_modules', '.nx/nx-phases', '.nx/workspace-data', '.nx/cache']),
      );
      expect(installedNx(workspace)).toEqual({ nx: release.nx, devkit: release.devkit });
    });
  });

  it('plan writes the plan and prints the command to run next', () => {
    const plan = workspace.nx(['g', 'nx-phases:plan', 'store', '--directory=apps/store', '--features=Product catalog,Shopping cart', '--auth', '--no-interactive']);
    planOutput = plan.output;
    withOutput(plan, () => {
      expect(existsSync(workspace.path('apps/store/phases.json'))).toBe(true);
      expect(nextCommand(planOutput)).toEqual(['run-many', '-t', 'phase', '-p', 'tag:phase-plan:store', '--parallel=3']);
    });
    workspace.commitAll('store plan');
  });

  it('the printed command, piped with the daemon on, runs every phase and the merge step, and shows the summary and the Gantt page once', () => {
    next = workspace.nx(nextCommand(planOutput), { env: daemon });
    withOutput(next, () => {
      for (const merged of ['package.json', '.env.example', 'src/routes.tsx']) expect(existsSync(workspace.path('apps/store', merged))).toBe(true);
      expect(next.output).not.toContain('successful tasks were not shown');
      expect(occurrences(next.output, /nx-phases: store: 5 phases: 5 ran, 0 cache hits, 0 failed, 0 skipped/g)).toBe(1);
      expect(next.output).toMatch(/makespan \d/);
      expect(occurrences(next.output, /Run report: \.nx\/nx-phases\/last-run\.html/g)).toBe(1);
      expect(existsSync(workspace.path('.nx/nx-phases/last-run.html'))).toBe(true);
      expect(existsSync(workspace.path('.nx/workspace-data/d/daemon.log'))).toBe(true);
    });
  });

  it('verify type-checks the generated app', () => {
    const verify = workspace.nx(['run', 'store:verify']);
    withOutput(verify, () => expect(verify.output).toContain('tsc --noEmit -p apps/store/tsconfig.json'));
  });

  it('writes the graph file where the README says, leaving nothing to commit outside the app', () => {
    const graph = workspace.nx(['run', 'store:phase', '--graph=.nx/nx-phases/graph.html']);
    withOutput(graph, () => {
      expect(existsSync(workspace.path('.nx/nx-phases/graph.html'))).toBe(true);
      const untracked = git(workspace.root, ['status', '--porcelain', '--untracked-files=all']).split('\n').map((line) => line.slice(3));
      expect(untracked.filter((path) => !path.startsWith('apps/store/'))).toEqual([]);
    });
  });

  describe('a broken second plan', () => {
    afterAll(() => rmSync(workspace.path('apps/broken'), { recursive: true, force: true }));

    it('stays local: nx show projects lists the first plan and shows the error, and the first plan keeps working', () => {
      writePlan(workspace.root, 'apps/broken', {
        name: 'broken',
        phases: [{ number: 1, name: 'Setup', domain: 'setup', dependencies: [7], plannedFiles: ['src/app.ts'] }],
      });
      const projects = workspace.nx(['show', 'projects', '--json']);
      withOutput(projects, () => {
        const listed = JSON.parse(projects.stdout.slice(projects.stdout.indexOf('['))) as string[];
        expect(listed).toEqual(expect.arrayContaining(['store', 'store-1-setup', 'store-5-polish']));
        expect(projects.output).toContain('apps/broken/phases.json');
        expect(projects.output).toContain('phases[0].dependencies[0]');
      });
      const store = workspace.nx(nextCommand(planOutput));
      withOutput(store, () => {
        expect(store.output).toMatch(/nx-phases: store: 5 phases: 0 ran, 5 cache hits, 0 failed, 0 skipped/);
        for (const merged of ['package.json', '.env.example', 'src/routes.tsx']) expect(existsSync(workspace.path('apps/store', merged))).toBe(true);
      });
    });
  });

  describe('a mistyped openai option', () => {
    let server: OpenAITestServer;

    beforeAll(async () => {
      ({ server } = await startScenarioServer(state, `first-hour-typo-${release.label}`, {}));
    });
    afterAll(async () => {
      await server?.close();
      rmSync(workspace.path('apps/typo'), { recursive: true, force: true });
    });

    it('fails with a "did you mean" naming the file and JSON path, and sends no request', async () => {
      writePlan(workspace.root, 'apps/typo', {
        name: 'typo',
        generator: openaiGenerator(server.url, { modle: 'gpt-4.1-mini' }),
        phases: [{ number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['src/app.ts'] }],
      });
      const run = await startNx(workspace, ['run-many', '-t', 'phase', '--parallel=3'], { env: { OPENAI_API_KEY: 'local' }, allowFailure: true }).done;
      withOutput(run, () => {
        expect(run.status).not.toBe(0);
        expect(run.output).toContain('apps/typo/phases.json');
        expect(run.output).toContain('generator.options.modle');
        expect(run.output).toContain('Did you mean "model"?');
        expect(server.requests).toEqual([]);
        expect(server.inFlight()).toBe(0);
      });
    });
  });
});

/** The arguments after `npx nx` of the planner's `Next:` line (plain words, no quoting). */
function nextCommand(output: string): string[] {
  const line = /^Next: (.+)$/m.exec(output)?.[1];
  if (!line?.startsWith('npx nx ')) throw new Error(`The planner printed no "Next: npx nx …" line:\n${output}`);
  if (/["'\\$`]/.test(line)) throw new Error(`The planner's next command needs a shell: ${line}`);
  return line.slice('npx nx '.length).trim().split(/\s+/);
}

function occurrences(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** npm's real cache for the install `init` starts (the workspace's HOME is private). */
function npmCacheEnv(workspace: E2eWorkspace): NodeJS.ProcessEnv {
  const env = npmEnvWithHome(workspace.home);
  return { npm_config_cache: env.npm_config_cache, npm_config_userconfig: env.npm_config_userconfig };
}
