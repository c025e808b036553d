import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describeFolder, readFolder } from './utils/folder-snapshot';
import { failedTasks, stackTraceLines } from './utils/nx-output';
import { commandGenerator } from './utils/phase-command';
import { editPlan, phaseOf, phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { SCENARIO_TIMEOUT_MS, step } from './utils/steps';
import { withOutput } from './utils/with-output';

/**
 * Issue 9 acceptance, end to end with the packed plugin: three mergeable files (json, lines, regions), each
 * extended by 11 phases. Schedule independence (--parallel=1 vs --parallel=4 with random delays), cache checks by
 * counting generator calls, a conflict and its fix, a forbidden edit of each strategy, and bad declarations.
 */
describe('mergeable shared files', () => {
  const scenario = createScenario('mergeable');
  const { workspace } = scenario;
  const appDir = 'apps/mix';
  const app = (...parts: string[]) => workspace.path(appDir, ...parts);
  const SHARED = ['package.json', '.env.example', 'src/routes.ts'];
  const feature = (number: number, name: string, dependencies: number[], features: string[] = [name]) => ({
    number,
    name,
    features,
    dependencies,
    plannedFiles: [...SHARED, `src/${name.toLowerCase()}.ts`],
  });
  const plan: PlanDocument = {
    name: 'mix',
    generator: commandGenerator(scenario.command({ randomSleepMs: 300 })),
    merge: { 'package.json': 'json', '.env.example': 'lines', 'src/routes.ts': 'regions' },
    phases: [
      { number: 1, name: 'Setup', features: ['Shell'], plannedFiles: [...SHARED, 'src/app.ts'] },
      feature(2, 'Catalog', [1]),
      feature(3, 'Cart', [1]),
      feature(4, 'Search', [2]),
      feature(5, 'Reviews', [2, 3]),
      feature(6, 'Wishlist', [1]),
      feature(7, 'Checkout', [3, 6]),
      feature(8, 'Profile', [1]),
      feature(9, 'Orders', [7, 8]),
      feature(10, 'Admin', [5, 9]),
      feature(11, 'Contact', [1]),
      { number: 12, name: 'Polish', features: ['Polish'], dependencies: [10], plannedFiles: ['src/polish.ts'] },
    ],
  };
  const everyPhase = plan.phases.map((p) => p.number);
  const generated = () => readdirSync(app()).filter((name) => name !== 'phases.json');
  /** The app folder and its records; manifests without their timing fields (the only bytes allowed to differ). */
  const appState = () =>
    describeFolder(
      new Map(
        [...readFolder(app(), (path) => path === 'phases.json')].map(([path, content]) => {
          if (!path.endsWith('manifest.json')) return [path, content];
          const manifest = JSON.parse(content.toString('utf8'));
          delete manifest.durationMs;
          manifest.usage.waitMs = 0;
          return [path, Buffer.from(JSON.stringify(manifest, null, 2))];
        }),
      ),
    );
  const contributors = everyPhase.filter((n) => n !== 12);
  let sequential: Record<string, string>;

  beforeAll(() => {
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('mix plan');
  });

  it('runs, re-runs, restores, edits and breaks the plan in turn: one scenario, each step starting from the state the last one left', () => {
    step('runs with --parallel=1 and merges every contribution into the app', () => {
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=1', '--skip-nx-cache']);
      withOutput(run, () => {
        expect(scenario.calls()).toEqual(everyPhase);
        expect(run.assembled).toEqual(['mix']);
        expect(run.output).toContain('nx-phases: merged 3 shared files of mix:');
      });
      sequential = appState();
      const packageJson = JSON.parse(sequential['package.json']);
      expect(Object.keys(packageJson.phases)).toEqual(contributors.map((n) => `p${n}`));
      expect(packageJson.tags).toEqual(contributors.map((n) => `p${n}`));
      expect(sequential['.env.example']).toBe(contributors.map((n) => `PHASE_${n}=${phaseOf(plan, n).name}`).join('\n') + '\n');
      const routes = sequential['src/routes.ts'];
      expect(routes.startsWith('// created by phase 1\nexport const entries = {\n  // nx-phases:region entries\n')).toBe(true);
      for (const n of contributors) expect(routes).toContain(`  p${n}: ${JSON.stringify(phaseOf(plan, n).name)},\n`);
      expect(Object.keys(sequential).filter((path) => path.startsWith('.phases/') && path.includes('/files/') && /package\.json|\.env|routes/.test(path))).toEqual([]);
      expect(JSON.parse(sequential['.phases/5/contributions.json'])['package.json']).toEqual({
        strategy: 'json',
        entries: [
          { op: 'set', path: ['phases', 'p5'], value: 'Reviews' },
          { op: 'union', path: ['tags'], values: ['p5'] },
        ],
      });
    });

    step('gives each phase the merge of its transitive dependencies only (Search sees Setup and Catalog, not Cart)', () => {
      const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
      const packageJson = `${JSON.stringify({ phases: { p1: 'Setup', p2: 'Catalog' }, tags: ['p1', 'p2'] }, null, 2)}\n`;
      const search = readFileSync(app('src/search.ts'), 'utf8');
      expect(search).toContain(`package.json@${sha(packageJson)}`);
      expect(search).toContain(`.env.example@${sha('PHASE_1=Setup\nPHASE_2=Catalog\n')}`);
      expect(search).not.toContain(`package.json@${sha(sequential['package.json'])}`);
    });

    step('gives byte-identical app files and records with --parallel=4 and random delays', () => {
      for (const name of generated()) rmSync(app(name), { recursive: true, force: true });
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=4', '--skip-nx-cache']);
      withOutput(run, () => expect(scenario.calls()).toEqual(everyPhase));
      expect(appState()).toEqual(sequential);
    });

    step('a full re-run calls no generator and still assembles the same files', () => {
      const filling = workspace.runPhases(['--parallel=4']);
      withOutput(filling, () => expect(appState()).toEqual(sequential));
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=4']);
      withOutput(run, () => {
        expect(scenario.calls()).toEqual([]);
        expect(run.ran).toEqual([]);
        expect(run.assembled).toEqual(['mix']);
      });
      expect(appState()).toEqual(sequential);
    });

    step('deleting the app restores every file byte-identical with no generator call', () => {
      for (const name of generated()) rmSync(app(name), { recursive: true, force: true });
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=3']);
      withOutput(run, () => {
        expect(scenario.calls()).toEqual([]);
        expect(run.ran).toEqual([]);
      });
      expect(appState()).toEqual(sequential);
    });

    step('the planner\'s printed selection (-p tag:phase-plan:mix) runs the merge step too: a deleted app comes back whole', () => {
      for (const name of generated()) rmSync(app(name), { recursive: true, force: true });
      scenario.resetCalls();
      const run = workspace.runPhases(['-p', 'tag:phase-plan:mix', '--parallel=3']);
      withOutput(run, () => {
        expect(scenario.calls()).toEqual([]);
        expect(run.assembled).toEqual(['mix']);
        expect(appState()).toEqual(sequential);
      });
    });

    step('editing one contributor re-runs that phase only, and the merge', () => {
      editPlan(workspace.root, appDir, (p) => void (phaseOf(p, 11).features = ['Contact', 'json:dependencies.zod=^3.0.0', 'line:SUPPORT_EMAIL=']));
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=3']);
      withOutput(run, () => {
        expect(scenario.calls()).toEqual([11]);
        expect(run.ran).toEqual([phaseProjectName(plan, 11)]);
        expect(run.assembled).toEqual(['mix']);
      });
      expect(JSON.parse(readFileSync(app('package.json'), 'utf8')).dependencies).toEqual({ zod: '^3.0.0' });
      expect(readFileSync(app('.env.example'), 'utf8')).toContain('PHASE_11=Contact\nSUPPORT_EMAIL=\n');
    });

    step('fails the merge on conflicting contributions with one clear message, leaves the app as it was, and re-runs only the fixed phase', () => {
      const before = appState();
      editPlan(workspace.root, appDir, (p) => void (phaseOf(p, 4).features = ['Search', 'json:dependencies.zod=^4.0.0']));
      scenario.resetCalls();
      const failed = workspace.runPhases(['--parallel=3'], { allowFailure: true });
      withOutput(failed, () => {
        expect(failed.status).not.toBe(0);
        expect(scenario.calls()).toEqual([4]);
        expect(failedTasks(failed.output)).toEqual(['mix:phase']);
        expect(failed.output).toContain(
          'Merge conflict in package.json at dependencies.zod: Phase 4 (Search) gives it "^4.0.0", Phase 11 (Contact) gives it "^3.0.0".\n' +
            'Fix: change one of the two phases so that they agree — use another key (or entry) in one of them, or make phase 11 depend on phase 4 so that it sees "^4.0.0" and keeps it.',
        );
        expect(stackTraceLines(failed.output)).toEqual([]);
      });
      const after = appState();
      for (const file of SHARED) expect(after[file]).toBe(before[file]);
      editPlan(workspace.root, appDir, (p) => void (phaseOf(p, 4).features = ['Search', 'json:dependencies.zod=^3.0.0']));
      scenario.resetCalls();
      const fixed = workspace.runPhases(['--parallel=3']);
      withOutput(fixed, () => {
        expect(scenario.calls()).toEqual([4]);
        expect(fixed.ran).toEqual([phaseProjectName(plan, 4)]);
      });
      expect(JSON.parse(readFileSync(app('package.json'), 'utf8')).dependencies).toEqual({ zod: '^3.0.0' });
    });

    step('fails a phase that changes a JSON value, removes a line and edits outside a region, naming each file and entry, and commits nothing', () => {
      const before = appState();
      editPlan(workspace.root, appDir, (p) => void (phaseOf(p, 11).features = ['Contact', 'json:phases.p1=Shop', 'forbid:lines', 'forbid:regions']));
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=3'], { allowFailure: true });
      withOutput(run, () => {
        expect(failedTasks(run.output)).toEqual([`${phaseProjectName(plan, 11)}:phase`]);
        expect(run.output).toContain('Phase 11 (Contact) edited mergeable files in ways it may not, so nothing was committed:');
        expect(run.output).toContain('package.json is merged (strategy "json"): a phase may only add entries to it, but this version');
        expect(run.output).toContain('  - phases.p1: changed from "Setup" to "Shop".');
        expect(run.output).toContain('.env.example is merged (strategy "lines"): a phase may only add entries to it, but this version');
        expect(run.output).toContain('  - line "PHASE_1=Setup": removed.');
        expect(run.output).toContain('src/routes.ts is merged (strategy "regions"): a phase may only add entries to it, but this version');
        expect(run.output).toContain('  - text outside the regions: changed: after "// created by phase 1" it should read "export const entries = {", but reads "export let entries = {"');
        expect(stackTraceLines(run.output)).toEqual([]);
      });
      expect(appState()).toEqual(before);
    });
  }, SCENARIO_TIMEOUT_MS);

  it('rejects bad merge declarations with their JSON paths before anything runs', () => {
    const bad = createScenario('mergeable-bad');
    writePlan(bad.workspace.root, 'apps/bad', {
      name: 'bad',
      context: ['docs/brief.md'],
      merge: { 'package.json': 'lines', 'src/routes.ts': 'yaml', 'docs/brief.md': 'lines', 'src/Routes.tsx': 'regions' },
      phases: [{ number: 1, name: 'Setup', plannedFiles: ['package.json', 'src/routes.ts'] }],
    });
    mkdirSync(bad.workspace.path('apps/bad/docs'), { recursive: true });
    writeFileSync(bad.workspace.path('apps/bad/docs/brief.md'), '# Brief\n');
    const run = bad.workspace.runPhases([], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('apps/bad/phases.json: merge["docs/brief.md"]: "docs/brief.md" is a shared context file');
      expect(run.output).toContain('apps/bad/phases.json: merge["package.json"]: "package.json" is a JSON file: a union of its lines would break its structure. Fix: Use "json"');
      expect(run.output).toContain('apps/bad/phases.json: merge["src/Routes.tsx"]: No phase plans "src/Routes.tsx", so there is nothing to merge.');
      expect(run.output).toContain('apps/bad/phases.json: merge["src/routes.ts"]: Unknown merge strategy "yaml". Fix: Use one of: "json", "lines", "regions".');
      expect(stackTraceLines(run.output)).toEqual([]);
      expect(bad.calls()).toEqual([]);
    });
    expect(readdirSync(bad.workspace.path('apps/bad')).sort()).toEqual(['docs', 'phases.json']);
  });
});
