import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describeFolder, listFiles, readFolder } from './utils/folder-snapshot';
import { readGeneratorLog } from './utils/generator-log';
import { commandGenerator } from './utils/phase-command';
import { editPlan, phaseOf, phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { SCENARIO_TIMEOUT_MS, step } from './utils/steps';
import type { NxRun } from './utils/e2e-workspace';
import { withOutput } from './utils/with-output';

/**
 * Section 5 "All phases" and the caching acceptance items (a)–(e), on one app, in order: one scenario test whose
 * steps each start from the state the previous one left (so no test depends on another having run).
 */
describe('all phases, caching and affected (items a–e)', () => {
  const scenario = createScenario('caching');
  const { workspace } = scenario;
  const app = 'apps/shop';
  const appPath = (...parts: string[]) => workspace.path(app, ...parts);
  const plan: PlanDocument = {
    name: 'shop',
    generator: commandGenerator(scenario.command()),
    context: ['docs/brief.md'],
    phases: [
      { number: 1, name: 'Setup', domain: 'setup', features: ['App shell'], dependencies: [], plannedFiles: ['src/app.ts'] },
      { number: 2, name: 'Database', domain: 'database', features: ['Products'], dependencies: [1], plannedFiles: ['src/db.ts'] },
      { number: 3, name: 'Auth', domain: 'auth', features: ['Login'], dependencies: [1], plannedFiles: ['src/auth.ts'] },
      { number: 4, name: 'Product Catalog', features: ['Product list'], description: 'Browse products', dependencies: [2], plannedFiles: ['src/catalog.ts'] },
      { number: 5, name: 'Cart', features: ['Cart'], dependencies: [4], plannedFiles: ['src/cart.ts'] },
      { number: 6, name: 'Checkout', features: ['Checkout form'], dependencies: [3, 5], plannedFiles: ['src/checkout.ts'] },
      { number: 7, name: 'Contact', features: ['Contact form'], dependencies: [1], plannedFiles: ['src/contact.ts'] },
    ],
  };
  const allPhaseProjects = plan.phases.map((p) => phaseProjectName(plan, p.number)).sort();
  /**
   * Asserts which phases called their generator (the log), which tasks Nx reports as run, and that every
   * other phase task was reported as a cache hit. `reused` are phases Nx may run without a cache check although
   * nothing of theirs changed (command phases run in one batch by default, and Nx checks the cache of a batch
   * task only when its dependencies are done outside the batch): each must then reuse its committed result
   * without calling its generator.
   */
  const expectRan = (run: NxRun, phases: number[], reused: number[] = []) =>
    withOutput(run, () => {
      expect(scenario.calls()).toEqual(phases);
      const ran = phases.map((n) => phaseProjectName(plan, n)).sort();
      const reusedProjects = reused.map((n) => phaseProjectName(plan, n));
      expect(run.ran.filter((project) => !reusedProjects.includes(project))).toEqual(ran);
      for (const project of run.ran.filter((p) => reusedProjects.includes(p))) {
        expect(run.output).toMatch(new RegExp(`nx run ${project}:phase\\n(?:(?!nx run )[^])*Reused the committed result: 1 file verified, 0 restored; generator not called`));
      }
      const cached = [...run.outcomes].filter(([, outcome]) => outcome === 'cache').map(([project]) => project);
      expect(cached.sort()).toEqual(allPhaseProjects.filter((p) => !run.ran.includes(p)));
    });
  /** Commits only the plan file, so the last commit is exactly the plan edit. */
  const commitPlan = (message: string) => workspace.commitPaths(message, [`${app}/phases.json`]);

  beforeAll(() => {
    writePlan(workspace.root, app, plan);
    mkdirSync(appPath('docs'), { recursive: true });
    writeFileSync(appPath('docs', 'brief.md'), '# Shop\nA small shop.\n');
    workspace.commitAll('shop plan');
  });

  it('names the phase projects <plan>-<number>-<kebab(name)>; the tag phase-plan:shop selects them and the plan project', () => {
    expect(allPhaseProjects).toContain('shop-4-product-catalog');
    expect(workspace.showProjects(['--projects=tag:phase-plan:shop'])).toEqual(['shop', ...allPhaseProjects]);
  });

  it('runs every phase, then re-runs, edits and deletes in turn (items 1, a-e): one scenario, each step starting from the state the last one left', () => {
    step('1. nx run-many -t phase --parallel=3 creates every planned file and manifest', () => {
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=3']);
      expectRan(run, [1, 2, 3, 4, 5, 6, 7]);
      expect(listFiles(appPath())).toEqual(
        [
          'docs/brief.md',
          'phases.json',
          ...plan.phases.flatMap((p) => [
            ...p.plannedFiles!,
            ...p.plannedFiles!.map((f) => `.phases/${p.number}/files/${f}`),
            `.phases/${p.number}/inputs.sha256`,
            `.phases/${p.number}/manifest.json`,
          ]),
        ].sort(),
      );
      for (const phase of plan.phases) {
        for (const file of phase.plannedFiles!) expect(existsSync(appPath(file))).toBe(true);
        const manifest = JSON.parse(readFileSync(appPath('.phases', String(phase.number), 'manifest.json'), 'utf8'));
        expect(Object.keys(manifest.files).sort()).toEqual([...phase.plannedFiles!].sort());
        for (const file of phase.plannedFiles!) {
          expect(readFileSync(appPath('.phases', String(phase.number), 'files', file), 'utf8')).toBe(readFileSync(appPath(file), 'utf8'));
        }
      }
    });

    step('1. gives each generator exactly its snapshot: context + transitive dependency outputs, outside the app', () => {
      const seen = Object.fromEntries(
        readGeneratorLog(scenario.logFile)
          .filter((e) => e.event === 'start')
          .map((e) => [e.phase, e.seen]),
      );
      expect(seen).toEqual({
        1: ['docs/brief.md'],
        2: ['docs/brief.md', 'src/app.ts'],
        3: ['docs/brief.md', 'src/app.ts'],
        4: ['docs/brief.md', 'src/app.ts', 'src/db.ts'],
        5: ['docs/brief.md', 'src/app.ts', 'src/catalog.ts', 'src/db.ts'],
        6: ['docs/brief.md', 'src/app.ts', 'src/auth.ts', 'src/cart.ts', 'src/catalog.ts', 'src/db.ts'],
        7: ['docs/brief.md', 'src/app.ts'],
      });
      for (const entry of readGeneratorLog(scenario.logFile).filter((e) => e.event === 'start')) {
        expect(entry.cwd?.startsWith(workspace.root)).toBe(false);
        expect(entry.contextPhaseNumber).toBe(entry.phase);
        expect(entry.contextPlanName).toBe('shop');
        expect(entry.contextFiles).toEqual(entry.seen);
      }
    });

    step('1. removes every snapshot folder and context file it made', () => {
      for (const entry of readGeneratorLog(scenario.logFile).filter((e) => e.event === 'start')) {
        expect({ phase: entry.phase, snapshotLeft: existsSync(entry.cwd!), contextFileLeft: existsSync(entry.contextFile!) }).toEqual({
          phase: entry.phase,
          snapshotLeft: false,
          contextFileLeft: false,
        });
      }
    });

    step('(a) a re-run with no change is a cache hit for every phase and calls no generator', () => {
      scenario.resetCalls();
      expectRan(workspace.runPhases(['--parallel=3']), []);
    });

    step('(b) editing a leaf phase\'s features runs exactly that phase', () => {
      editPlan(workspace.root, app, (p) => phaseOf(p, 7).features!.push('Map'));
      commitPlan('contact: add a map');
      scenario.resetCalls();
      expectRan(workspace.runPhases(['--parallel=3']), [7]);
      expect(readFileSync(appPath('src/contact.ts'), 'utf8')).toContain('Contact form, Map');
    });

    step('(c) editing a mid-graph phase without changing its output calls only that phase\'s generator', () => {
      const before = readFileSync(appPath('src/catalog.ts'));
      editPlan(workspace.root, app, (p) => (phaseOf(p, 4).description = 'Browse and view products'));
      commitPlan('catalog: reword description');
      scenario.resetCalls();
      // Generator called for 4 only; its dependents 5 and 6 are cache hits (--no-batch) or, batched, reuse their
      // committed result (docs: README, batch mode limits).
      expectRan(workspace.runPhases(['--parallel=3']), [4], [5, 6]);
      expect(readFileSync(appPath('src/catalog.ts'))).toEqual(before);
    });

    step('(c) editing a mid-graph phase so that its output changes runs its dependents too', () => {
      editPlan(workspace.root, app, (p) => phaseOf(p, 4).features!.push('Product details'));
      commitPlan('catalog: add product details');
      scenario.resetCalls();
      expectRan(workspace.runPhases(['--parallel=3']), [4, 5, 6]);
    });

    step('(d) nx show projects --affected after a committed plan edit includes the edited phase', () => {
      // The last commit changed only phases.json (phase 4's features).
      const byCommits = workspace.showProjects(['--affected', '--base=HEAD~1', '--head=HEAD']);
      expect(byCommits).toContain('shop-4-product-catalog');
      // Also for a leaf edit two commits back, seen from its parent.
      expect(workspace.showProjects(['--affected', '--base=HEAD~3', '--head=HEAD~2'])).toContain('shop-7-contact');
      const byFile = workspace.showProjects(['--affected', `--files=${app}/phases.json`]);
      expect(byFile).toContain('shop-4-product-catalog');
      expect(byFile).toEqual(expect.arrayContaining(allPhaseProjects));
    });

    step('(d) nx affected -t phase then runs nothing new (the cache prunes the over-approximation)', () => {
      scenario.resetCalls();
      expectRan(workspace.nx(['affected', '-t', 'phase', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static']), []);
    });

    step('(e) deleting the generated files and re-running restores everything from cache, byte-identical', () => {
      const keep = new Set(['phases.json', 'docs']);
      const before = readFolder(appPath());
      for (const name of readdirSync(appPath())) if (!keep.has(name)) rmSync(appPath(name), { recursive: true, force: true });
      expect(existsSync(appPath('.phases'))).toBe(false);
      scenario.resetCalls();
      const run = workspace.runPhases(['--parallel=3']);
      expectRan(run, []);
      expect(describeFolder(readFolder(appPath()))).toEqual(describeFolder(before));
    });

    step('nx run shop:phase (the aggregate target) reaches every phase, all cached', () => {
      scenario.resetCalls();
      expectRan(workspace.nx(['run', 'shop:phase', '--parallel=3', '--outputStyle=static']), []);
    });

    step('editing a shared context file re-runs every phase (the context is in every key)', () => {
      writeFileSync(appPath('docs', 'brief.md'), '# Shop\nA small shop, now with gift cards.\n');
      workspace.commitPaths('brief: gift cards', [`${app}/docs/brief.md`]);
      scenario.resetCalls();
      expectRan(workspace.runPhases(['--parallel=3']), [1, 2, 3, 4, 5, 6, 7]);
    });
  }, SCENARIO_TIMEOUT_MS);
});
