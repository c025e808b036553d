import { type CreateNodesContextV2, type CreateNodesResult, type ProjectConfiguration } from '@nx/devkit';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { createNodes } from './create-nodes';

const PLAN = {
  name: 'shop',
  generator: 'nx-phases:scaffold',
  context: ['docs/brand.md'],
  phases: [
    { number: 1, name: 'Setup', domain: 'setup', dependencies: [], plannedFiles: ['src/App.tsx'] },
    { number: 2, name: 'Auth', domain: 'auth', features: ['Login'], dependencies: [1], plannedFiles: ['src/auth.ts', 'src/nav.ts'] },
    { number: 3, name: 'Catalog', domain: 'feature', features: ['Products'], dependencies: [1], plannedFiles: ['src/catalog.ts', 'src/nav.ts'] },
  ],
};

/** A generator package `my-gens` with the generators `app` and `page` in the workspace's node_modules (never loaded). */
function installMyGens(w: TempWorkspace, version: string): void {
  w.write('node_modules/my-gens/package.json', { name: 'my-gens', version, generators: './generators.json' });
  w.write('node_modules/my-gens/generators.json', { generators: { app: { factory: './app' }, page: { factory: './page' } } });
}

describe('createNodes', () => {
  let ws: TempWorkspace;
  let warnings: string[];
  const context = (): CreateNodesContextV2 => ({ nxJsonConfiguration: {}, workspaceRoot: ws.root });
  const infer = async (files = ['apps/shop/phases.json'], options = {}) =>
    (await createNodes[1](files, options, context())) as Array<readonly [string, CreateNodesResult]>;
  const projects = async () => (await infer())[0][1].projects as Record<string, ProjectConfiguration>;

  beforeEach(() => {
    ws = new TempWorkspace();
    process.env.NX_WORKSPACE_DATA_DIRECTORY = `${ws.root}/.nx/workspace-data`;
    ws.write('apps/shop/phases.json', PLAN);
    warnings = [];
    jest.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args.join(' ')));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
    ws.dispose();
  });

  // Properties of the inferred graph a user relies on (it was a 327-line snapshot of this function's own output).
  it('infers one project per phase and the plan project', async () => {
    const result = await projects();
    expect(Object.keys(result).sort()).toEqual(['apps/shop', 'apps/shop/.phases/1', 'apps/shop/.phases/2', 'apps/shop/.phases/3']);
    expect(JSON.stringify(result)).not.toContain(ws.root); // no absolute path in a cache key or a task
    const expected = [
      { n: 1, name: 'shop-1-setup', level: 1, domain: 'setup', deps: [], implicit: ['shop'], outputs: ['src/App.tsx'], about: 'Setup (phase 1, level 1).' },
      { n: 2, name: 'shop-2-auth', level: 2, domain: 'auth', deps: ['shop-1-setup'], implicit: ['shop-1-setup'], outputs: ['src/auth.ts'], about: 'Auth (phase 2, level 2). Features: Login.' },
      { n: 3, name: 'shop-3-catalog', level: 3, domain: 'feature', deps: ['shop-1-setup', 'shop-2-auth'], implicit: ['shop-1-setup', 'shop-2-auth'], outputs: ['src/catalog.ts', 'src/nav.ts'], about: 'Catalog (phase 3, level 3). Features: Products. Depends on 2 because both write src/nav.ts (added by conflict resolution).' },
    ];
    for (const phase of expected) {
      const project = result[`apps/shop/.phases/${phase.n}`];
      const target = project.targets!.phase;
      expect(project).toMatchObject({ name: phase.name, root: `apps/shop/.phases/${phase.n}`, implicitDependencies: phase.implicit });
      expect(project.tags).toEqual(['nx-phases', 'phase-plan:shop', `phase-level:${phase.level}`, `phase-domain:${phase.domain}`]);
      expect(project.metadata).toEqual({ description: phase.about, targetGroups: { 'nx-phases': ['phase'] }, technologies: ['nx-phases'] });
      expect(target).toMatchObject({ executor: 'nx-phases:phase', cache: true, options: { plan: 'apps/shop/phases.json', phase: phase.n, generator: 'nx-phases:scaffold' } });
      expect(target.options.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
      expect(target.dependsOn).toEqual(phase.deps.length ? [{ projects: phase.deps, target: 'phase' }] : []);
      // The shared context plus the direct dependencies' private records (never their live files), not transitive.
      expect(target.inputs).toEqual([
        '{workspaceRoot}/apps/shop/docs/brand.md',
        ...['files/**', 'inputs.sha256', 'executables.txt', 'contributions.json'].map((file) => ({ dependentTasksOutputFiles: `**/.phases/*/${file}`, transitive: false })),
      ]);
      expect(target.outputs).toEqual([
        ...phase.outputs.map((file) => `{workspaceRoot}/apps/shop/${file}`),
        ...['files', 'inputs.sha256', 'executables.txt', 'manifest.json'].map((file) => `{projectRoot}/${file}`),
      ]);
      expect(target.metadata).toMatchObject({ description: phase.about, technologies: ['nx-phases'], help: { command: 'npx nx run shop:phase --parallel=3' } });
    }
    const plan = result['apps/shop'];
    expect(plan).toMatchObject({ name: 'shop', root: 'apps/shop', tags: ['nx-phases-plan', 'phase-plan:shop'], metadata: { targetGroups: { 'nx-phases': ['phase', 'phase-plan'] }, technologies: ['nx-phases'] } });
    expect(plan.targets!.phase).toMatchObject({ executor: 'nx-phases:assemble', cache: false, options: { plan: 'apps/shop/phases.json' }, dependsOn: [{ projects: ['shop-3-catalog'], target: 'phase' }] });
    expect(plan.targets!.phase.metadata?.help?.command).toBe('npx nx run-many -t phase -p tag:phase-plan:shop --parallel=3');
    expect(plan.targets!['phase-plan']).toMatchObject({ executor: 'nx-phases:phase-plan', cache: false, options: { plan: 'apps/shop/phases.json', format: 'text', parallel: 3 } });
  });

  it('adds an explained edge for a conflict and warns once', async () => {
    const catalog = (await projects())['apps/shop/.phases/3'];
    expect(catalog.implicitDependencies).toEqual(['shop-1-setup', 'shop-2-auth']);
    expect(catalog.metadata?.description).toContain('Depends on 2 because both write src/nav.ts');
    expect(warnings.filter((w) => w.includes('both plan to write src/nav.ts'))).toHaveLength(1);
    await projects();
    expect(warnings.filter((w) => w.includes('both plan to write src/nav.ts'))).toHaveLength(1);
  });

  it('leaves the conflict warning to the run when the nx command runs the phase target (and keeps the edge)', async () => {
    const argv = process.argv;
    try {
      process.argv = ['/usr/bin/node', `${ws.root}/node_modules/.bin/nx`, 'run-many', '-t', 'phase'];
      const catalog = (await projects())['apps/shop/.phases/3'];
      expect(catalog.implicitDependencies).toEqual(['shop-1-setup', 'shop-2-auth']);
      expect(warnings.filter((w) => w.includes('both plan to write src/nav.ts'))).toEqual([]);
      ws.write('apps/shop/phases.json', { ...PLAN, context: ['docs/other.md'] }); // a changed plan: computed again
      process.argv = ['/usr/bin/node', `${ws.root}/node_modules/.bin/nx`, 'graph', '--file=graph.json'];
      await projects();
      expect(warnings.filter((w) => w.includes('both plan to write src/nav.ts'))).toHaveLength(1);
    } finally {
      process.argv = argv;
    }
  });

  it('leaves a file that a descendant rewrites out of the ancestor outputs, so a cache restore cannot regress it', async () => {
    const result = await projects();
    expect(result['apps/shop/.phases/2'].targets?.phase.outputs).toEqual(['{workspaceRoot}/apps/shop/src/auth.ts', '{projectRoot}/files', '{projectRoot}/inputs.sha256', '{projectRoot}/executables.txt', '{projectRoot}/manifest.json']);
    expect(result['apps/shop/.phases/3'].targets?.phase.outputs).toContain('{workspaceRoot}/apps/shop/src/nav.ts');
  });

  it('adds no edge for a mergeable file, keeps it out of every phase output and assembles it in the plan target', async () => {
    ws.write('apps/shop/phases.json', JSON.parse(JSON.stringify({ ...PLAN, merge: { 'src/nav.json': 'json' } }).replace(/src\/nav\.ts/g, 'src/nav.json')));
    const result = await projects();
    expect(result['apps/shop/.phases/3'].implicitDependencies).toEqual(['shop-1-setup']);
    expect(warnings.filter((w) => w.includes('src/nav.json'))).toEqual([]);
    for (const root of ['apps/shop/.phases/2', 'apps/shop/.phases/3']) {
      const outputs = result[root].targets?.phase.outputs ?? [];
      expect(outputs.filter((output) => output.includes('nav.json'))).toEqual([]);
      expect(outputs).toContain('{projectRoot}/contributions.json');
    }
    expect(result['apps/shop/.phases/1'].targets?.phase.outputs).not.toContain('{projectRoot}/contributions.json');
    expect(result['apps/shop/.phases/3'].targets?.phase.inputs).toContainEqual({ dependentTasksOutputFiles: '**/.phases/*/contributions.json', transitive: false });
    const aggregate = result['apps/shop'].targets?.phase;
    expect(aggregate).toMatchObject({ executor: 'nx-phases:assemble', cache: false, options: { plan: 'apps/shop/phases.json' } });
    expect(aggregate?.metadata?.description).toContain(", merge its shared files (src/nav.json) from the phases' contributions, then print");
  });

  it('changes only the edited leaf phase configuration', async () => {
    const before = await projects();
    ws.write('apps/shop/phases.json', { ...PLAN, phases: PLAN.phases.map((p) => (p.number === 3 ? { ...p, features: ['Products', 'Search'] } : p)) });
    const after = await projects();
    const changed = Object.keys(after).filter((root) => JSON.stringify(after[root]) !== JSON.stringify(before[root]));
    expect(changed).toEqual(['apps/shop/.phases/3']);
  });

  it('keys an openai phase on what changes the request, not on retry settings or the key', async () => {
    const fingerprint = async (options: Record<string, unknown>) => {
      ws.write('apps/shop/phases.json', { ...PLAN, generator: { use: 'nx-phases:openai', options } });
      return (await projects())['apps/shop/.phases/1'].targets?.phase.options.fingerprint;
    };
    process.env.OPENAI_API_KEY = 'sk-planted-key-1';
    const base = await fingerprint({ model: 'm1' });
    expect(await fingerprint({ model: 'm1', maxRetries: 2, timeoutMs: 5 })).toBe(base);
    process.env.OPENAI_API_KEY = 'sk-planted-key-2';
    expect(await fingerprint({ model: 'm1' })).toBe(base);
    expect(await fingerprint({ model: 'm2' })).not.toBe(base);
    expect(await fingerprint({ model: 'm1', temperature: 0.5 })).not.toBe(base);
    delete process.env.OPENAI_API_KEY;
  });

  it('gives openai and command phases the executor Nx batches by default (phase-io) and every other phase the per-process one', async () => {
    ws.write('apps/shop/phases.json', {
      ...PLAN,
      generator: { use: 'nx-phases:openai', options: { model: 'm1' } },
      phases: PLAN.phases.map((phase) =>
        phase.number === 3 ? { ...phase, generator: { use: 'nx-phases:command', options: { command: 'true' } } } : phase.number === 2 ? { ...phase, generator: { use: 'nx-phases:scaffold' } } : phase,
      ),
    });
    const executors = Object.fromEntries(Object.entries(await projects()).map(([root, project]) => [root, project.targets?.phase.executor]));
    expect(executors).toEqual({
      'apps/shop': 'nx-phases:assemble',
      'apps/shop/.phases/1': 'nx-phases:phase-io',
      'apps/shop/.phases/2': 'nx-phases:phase',
      'apps/shop/.phases/3': 'nx-phases:phase-io',
    });
    ws.write('apps/shop/phases.json', PLAN);
    expect(new Set(Object.values(await projects()).map((project) => project.targets?.phase.executor))).toEqual(new Set(['nx-phases:assemble', 'nx-phases:phase']));
  });

  it('re-keys a phase when what its generator is told about a dependency changes, even if the dependency output would not', async () => {
    const fingerprints = async () =>
      Object.fromEntries(Object.entries(await projects()).filter(([root]) => root.includes('.phases')).map(([root, p]) => [root, p.targets?.phase.options.fingerprint]));
    const before = await fingerprints();
    ws.write('apps/shop/phases.json', { ...PLAN, phases: PLAN.phases.map((p) => (p.number === 1 ? { ...p, features: ['Shell'] } : p)) });
    const after = await fingerprints();
    expect(Object.keys(after).filter((root) => after[root] !== before[root]).sort()).toEqual(['apps/shop/.phases/1', 'apps/shop/.phases/2', 'apps/shop/.phases/3']);
  });

  it('re-keys phases when their generator package is upgraded', async () => {
    const useGen = async (version: string) => {
      installMyGens(ws, version);
      ws.write('package-lock.json', `{"lockfileVersion":3,"v":"${version}"}`);
      ws.write('apps/shop/phases.json', { ...PLAN, generator: 'my-gens:app' });
      return (await projects())['apps/shop/.phases/1'].targets?.phase.options.fingerprint;
    };
    expect(await useGen('1.0.0')).not.toBe(await useGen('1.1.0'));
  });

  it('infers identical projects (fingerprints included) at another path, under another HOME, with other file times', async () => {
    const setUp = (w: TempWorkspace, time: Date) => {
      installMyGens(w, '2.0.0');
      w.write('package-lock.json', '{"lockfileVersion":3}');
      w.write('apps/shop/phases.json', { ...PLAN, generator: 'my-gens:app' });
      for (const file of ['package-lock.json', 'apps/shop/phases.json', 'node_modules/my-gens/package.json']) utimesSync(join(w.root, file), time, time);
    };
    setUp(ws, new Date('2020-01-01T00:00:00Z'));
    const here = await projects();
    const other = new TempWorkspace();
    const home = process.env.HOME;
    try {
      setUp(other, new Date('2024-06-01T12:00:00Z'));
      process.env.HOME = join(other.root, 'home');
      process.env.NX_WORKSPACE_DATA_DIRECTORY = `${other.root}/.nx/workspace-data`;
      const [[, result]] = (await createNodes[1](['apps/shop/phases.json'], {}, { nxJsonConfiguration: {}, workspaceRoot: other.root })) as Array<readonly [string, CreateNodesResult]>;
      expect(result.projects).toEqual(here);
      expect(JSON.stringify(result.projects)).not.toContain(other.root);
    } finally {
      process.env.HOME = home;
      other.dispose();
    }
  });

  it('parses a plan saved with a UTF-8 byte order mark', async () => {
    ws.write('apps/shop/phases.json', '\uFEFF' + JSON.stringify(PLAN));
    expect(Object.keys(await projects())).toHaveLength(4);
  });

  it('keeps each phase project proportional to its own dependencies', async () => {
    const phases = Array.from({ length: 2000 }, (_, i) => ({
      number: i + 1, name: `P${i + 1}`, domain: 'feature', dependencies: i === 0 ? [] : [i], plannedFiles: [`src/p${i + 1}.ts`],
    }));
    ws.write('apps/shop/phases.json', { name: 'shop', phases });
    const result = await projects();
    const sizes = Object.entries(result).filter(([root]) => root.includes('.phases')).map(([, p]) => JSON.stringify(p).length);
    expect(Math.max(...sizes)).toBeLessThan(2500);
  });

  it('tags the plan project phase-plan:<name>, so `-p tag:phase-plan:<name>` selects its merge step with the phases', async () => {
    const result = await projects();
    expect(result['apps/shop'].tags).toEqual(['nx-phases-plan', 'phase-plan:shop']);
    expect(result['apps/shop'].targets?.phase.metadata?.help?.command).toBe('npx nx run-many -t phase -p tag:phase-plan:shop --parallel=3');
  });

  it('merges into an existing project at the app root instead of naming it, adding its tags', async () => {
    ws.write('apps/shop/project.json', { name: 'storefront' });
    const result = await projects();
    expect(result['apps/shop'].name).toBeUndefined();
    expect(result['apps/shop'].tags).toEqual(['nx-phases-plan', 'phase-plan:shop']);
    expect(result['apps/shop/.phases/1'].implicitDependencies).toEqual(['storefront']);
  });

  /** Infers the given plans; returns the message of the broken plan `planFile` and asserts the printed warning. */
  const brokenMessage = async (files: string[], planFile: string) => {
    const results = new Map(await infer(files));
    expect([...results.keys()]).toEqual(files);
    const project = Object.values(results.get(planFile)!.projects!)[0];
    expect(project.tags).toContain('nx-phases-broken-plan');
    const target = project.targets!.phase;
    expect(target).toMatchObject({ executor: 'nx-phases:plan-error', cache: false, options: { plan: planFile } });
    expect(project.targets!['phase-plan'].options).toEqual(target.options);
    const message = target.options.message as string;
    expect(warnings.filter((w) => w.includes(message))).toEqual([
      `nx-phases: ${planFile} cannot be loaded; its targets fail until it is fixed, and every other plan works.\n${message}`,
    ]);
    return message;
  };

  it('keeps a bad plan local: its project fails with every problem, naming the file and JSON path, and other plans load', async () => {
    ws.write('apps/bad/phases.json', { name: 'bad', phases: [{ number: 1, name: 'A', domain: 'setup', dependencies: [7] }], generator: { use: 'nx-phases:openai', options: { modle: 'x' } } });
    const message = await brokenMessage(['apps/shop/phases.json', 'apps/bad/phases.json'], 'apps/bad/phases.json');
    expect(message).toBe(
      [
        'Invalid phase plan: 2 problems found.',
        'apps/bad/phases.json: generator.options.modle: Unknown option "modle" for nx-phases:openai. Fix: Did you mean "model"? Allowed options: model, baseURL, apiKeyEnv, temperature, maxContextTokens, maxOutputTokens, timeoutMs, maxRetries, maxRetryAfterMs, systemPrompt, prices.',
        'apps/bad/phases.json: phases[0].dependencies[0]: Phase 1 (A) depends on phase 7, which does not exist. Fix: Remove 7 from the dependencies or add a phase with "number": 7.',
      ].join('\n'),
    );
    const results = new Map(await infer(['apps/shop/phases.json', 'apps/bad/phases.json']));
    expect(Object.keys(results.get('apps/shop/phases.json')!.projects!)).toHaveLength(4);
    expect(results.get('apps/bad/phases.json')!.projects!['apps/bad']).toMatchObject({ name: 'bad', tags: ['nx-phases-plan', 'nx-phases-broken-plan', 'phase-plan:bad'] });
  });

  it('names the project of a plan that is not JSON after its app root, and of a taken name with a suffix', async () => {
    ws.write('apps/my shop/phases.json', '{ "name": "shop", ');
    ws.write('apps/again/phases.json', { ...PLAN, phases: [{ number: 1, name: 'A', dependencies: [1] }] });
    const files = ['apps/shop/phases.json', 'apps/my shop/phases.json', 'apps/again/phases.json'];
    expect(await brokenMessage(files, 'apps/my shop/phases.json')).toMatch(/^Invalid phase plan: 1 problem found\.\napps\/my shop\/phases\.json: \(root\): Invalid JSON at line 1, column 19/);
    const results = new Map(await infer(files));
    expect(results.get('apps/my shop/phases.json')!.projects!['apps/my shop'].name).toBe('apps-my-shop');
    expect(results.get('apps/again/phases.json')!.projects!['apps/again'].name).toBe('shop-2');
  });

  it('merges the failing targets into an existing project at the broken app root', async () => {
    ws.write('apps/shop/project.json', { name: 'storefront' });
    ws.write('apps/shop/phases.json', { ...PLAN, name: 'Bad Name' });
    await brokenMessage(['apps/shop/phases.json'], 'apps/shop/phases.json');
    const project = (await projects())['apps/shop'];
    expect(project.name).toBeUndefined();
    expect(project.tags).toEqual(['nx-phases-broken-plan']);
  });

  it('rejects a second plan with the same name, also when one merges into an existing project, keeping the first', async () => {
    ws.write('apps/shop/project.json', { name: 'storefront' });
    ws.write('apps/other/phases.json', PLAN);
    const message = await brokenMessage(['apps/shop/phases.json', 'apps/other/phases.json'], 'apps/other/phases.json');
    expect(message).toBe('apps/other/phases.json: "name": "shop" is already used by apps/shop/phases.json. Fix: give each plan a unique "name".');
    const results = new Map(await infer(['apps/shop/phases.json', 'apps/other/phases.json']));
    expect(results.get('apps/shop/phases.json')!.projects!['apps/shop'].targets!.phase.executor).toBe('nx-phases:assemble');
  });

  it('names both phases and the fix when two plans infer the same project name', async () => {
    ws.write('apps/x/phases.json', { name: 'x', phases: [{ number: 1, name: '2 b', plannedFiles: ['a.ts'] }] });
    ws.write('apps/x-1/phases.json', { name: 'x-1', phases: [{ number: 1, name: 'A', plannedFiles: ['a.ts'] }, { number: 2, name: 'b', plannedFiles: ['b.ts'] }] });
    const message = await brokenMessage(['apps/x/phases.json', 'apps/x-1/phases.json'], 'apps/x-1/phases.json');
    expect(message).toBe(
      'phase 2 "b" (phases[1] in apps/x-1/phases.json) becomes the Nx project "x-1-2-b", and so does ' +
        'phase 1 "2 b" (phases[0] in apps/x/phases.json); Nx project names must be unique. Fix: rename one of them: change ' +
        'phases[1].name in apps/x-1/phases.json or phases[0].name in apps/x/phases.json (or set the plugin\'s "projectName" template in nx.json, e.g. "{plan}--{number}-{name}").',
    );
  });

  it('names the plan project when a phase project takes its name', async () => {
    ws.write('apps/a/phases.json', { name: 'a', phases: [{ number: 1, name: 'Setup', plannedFiles: ['a.ts'] }] });
    ws.write('apps/b/phases.json', { name: 'a-1-setup', phases: [{ number: 1, name: 'B', plannedFiles: ['a.ts'] }] });
    const message = await brokenMessage(['apps/a/phases.json', 'apps/b/phases.json'], 'apps/b/phases.json');
    expect(message).toContain('the plan project of apps/b/phases.json becomes the Nx project "a-1-setup", and so does phase 1 "Setup" (phases[0] in apps/a/phases.json)');
    expect(message).toContain('change "name" in apps/b/phases.json or phases[0].name in apps/a/phases.json');
  });

  it('checks at load that a generator of another package resolves, with a "did you mean", on every pass', async () => {
    ws.write('apps/shop/phases.json', { ...PLAN, phases: PLAN.phases.map((p) => (p.number === 2 ? { ...p, generator: 'my-gens:aap' } : p)) });
    expect(await brokenMessage(['apps/shop/phases.json'], 'apps/shop/phases.json')).toBe(
      'Invalid phase plan: 1 problem found.\napps/shop/phases.json: phases[1].generator: Cannot find package "my-gens" for generator "my-gens:aap" (used in apps/shop/phases.json). ' +
        'Fix: Install it in the workspace (npm i -D my-gens) or fix the generator name.',
    );
    installMyGens(ws, '1.0.0');
    warnings = [];
    expect(await brokenMessage(['apps/shop/phases.json'], 'apps/shop/phases.json')).toBe(
      'Invalid phase plan: 1 problem found.\napps/shop/phases.json: phases[1].generator: Package my-gens has no generator named "aap" (used in apps/shop/phases.json). Available: app, page. ' +
        'Fix: Did you mean "my-gens:app"?',
    );
    ws.write('node_modules/my-gens/package.json', { name: 'my-gens', version: '1.0.0' });
    warnings = [];
    expect(await brokenMessage(['apps/shop/phases.json'], 'apps/shop/phases.json')).toBe(
      'Invalid phase plan: 1 problem found.\napps/shop/phases.json: phases[1].generator: Package my-gens has no "generators" entry in its package.json, so "my-gens:aap" (in apps/shop/phases.json) cannot be used as a phase generator. ' +
        'Fix: Name a generator of a package that ships Nx generators, or one of "nx-phases:scaffold", "nx-phases:command", "nx-phases:openai".',
    );
    installMyGens(ws, '1.0.0');
    ws.write('node_modules/my-gens/generators.json', { generators: { aap: { factory: './aap' } } });
    expect((await projects())['apps/shop/.phases/2'].targets?.phase.executor).toBe('nx-phases:phase');
  });

  it("lists a nested plan's own problems after the nesting", async () => {
    ws.write('apps/shop/inner/phases.json', { ...PLAN, name: 'inner', phases: [{ number: 1, name: 'A', plannedFiles: ['x/.phases/1/manifest.json'] }] });
    const message = await brokenMessage(['apps/shop/phases.json', 'apps/shop/inner/phases.json'], 'apps/shop/inner/phases.json');
    expect(message.split('\n').map((line) => line.split(': ').slice(0, 2).join(': '))).toEqual([
      'Invalid phase plan: 2 problems found.',
      'apps/shop/inner/phases.json: (root)',
      'apps/shop/inner/phases.json: phases[0].plannedFiles[0]',
    ]);
  });

  it('rejects nested plans, naming both plan files, and keeps the others', async () => {
    ws.write('apps/shop/inner/phases.json', { ...PLAN, name: 'inner' });
    const files = ['apps/shop/phases.json', 'apps/shop/inner/phases.json', 'apps/other/phases.json'];
    ws.write('apps/other/phases.json', { ...PLAN, name: 'other' });
    const hint =
      'Fix: Move apps/shop/inner/phases.json out of apps/shop, or make its phases part of apps/shop/phases.json; a plan\'s app root may neither contain nor lie inside another plan\'s.';
    expect(await brokenMessage(files, 'apps/shop/phases.json')).toBe(
      'Invalid phase plan: 1 problem found.\napps/shop/phases.json: (root): This plan\'s app root apps/shop contains apps/shop/inner, the app root of ' +
        `apps/shop/inner/phases.json: plans cannot nest (this plan's phases could write the inner plan's files and records). ${hint}`,
    );
    warnings = [];
    expect(await brokenMessage(files, 'apps/shop/inner/phases.json')).toBe(
      'Invalid phase plan: 1 problem found.\napps/shop/inner/phases.json: (root): This plan\'s app root apps/shop/inner lies inside apps/shop, the app root of ' +
        `apps/shop/phases.json: plans cannot nest (the outer plan's phases could write the inner plan's files and records). ${hint}`,
    );
    const results = new Map(await infer(files));
    expect(Object.keys(results.get('apps/other/phases.json')!.projects!)).toHaveLength(4);
  });

});
