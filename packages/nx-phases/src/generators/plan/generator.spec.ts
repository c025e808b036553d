import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parsePlan, predictPhaseFiles, reduceDependencies, resolveConflicts, transitiveDependencies } from '../../plan';
import type { PlanDocument } from '../../plan/types';
import { planGenerator } from './generator';
import { mentions, NEEDS_AUTH, STORES_DATA } from './heuristic';
import { normalizePlanOptions } from './options';
import { buildPlanDocument } from './plan-document';

const SHOP_FEATURES = 'Product catalog,Shopping cart,Checkout,User profiles,Admin dashboard,Contact form';

describe('nx-phases:plan', () => {
  let tree: Tree;
  let info: string[];
  let warnings: string[];
  const read = (path = 'apps/shop/phases.json') => JSON.parse(tree.read(path, 'utf-8')!) as PlanDocument;
  const shape = (document: PlanDocument) => document.phases.map((p) => [p.number, p.name, p.domain, p.dependencies]);

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    info = [];
    warnings = [];
    jest.spyOn(logger, 'info').mockImplementation((message) => void info.push(String(message)));
    jest.spyOn(console, 'warn').mockImplementation((message) => void warnings.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('plans the issue example: Setup, Database, Auth, features, Admin after them, Polish last', async () => {
    await planGenerator(tree, { name: 'shop', directory: 'apps/shop', features: SHOP_FEATURES, auth: true, database: true });
    const document = read();
    expect(shape(document)).toEqual([
      [1, 'Setup', 'setup', []],
      [2, 'Database', 'database', [1]],
      [3, 'Auth', 'auth', [1]],
      [4, 'Product catalog', 'feature', [2]],
      [5, 'Shopping cart', 'feature', [2]],
      [6, 'Checkout', 'feature', [2, 3]],
      [7, 'User profiles', 'feature', [2, 3]],
      [8, 'Contact form', 'feature', [1]],
      [9, 'Admin dashboard', 'admin', [4, 5, 6, 7, 8]],
      [10, 'Polish', 'polish', [9]],
    ]);
    expect(document.$schema).toBe('../../node_modules/nx-phases/schemas/phases.schema.json');
    expect(document.generator).toBe('nx-phases:scaffold');
    expect(document.phases[1].features).toEqual(['Product catalog', 'Shopping cart', 'Checkout', 'User profiles', 'Admin dashboard']);
    expect(document.phases[4].description).toBe('Shopping cart. Stores data (after Database).');
  });

  it('declares a type-check every phase must pass in its own snapshot', async () => {
    await planGenerator(tree, { name: 'shop', directory: 'apps/shop', features: SHOP_FEATURES, auth: true, database: true });
    expect(read().check).toEqual({ command: 'tsc --noEmit -p tsconfig.json', timeoutSeconds: 120 });
  });

  it('writes direct dependencies only, and every phase still runs after (and sees) the same phases as the heuristic asked', async () => {
    await planGenerator(tree, { name: 'shop', features: `${SHOP_FEATURES},Search,Wishlist,Admin users`, auth: true, database: true });
    const written = parsePlan(tree.read('apps/shop/phases.json', 'utf-8')!, 'apps/shop/phases.json');
    const asked = resolveConflicts(parsePlan(JSON.stringify(buildPlanDocument(normalizePlanOptions({ name: 'shop', features: `${SHOP_FEATURES},Search,Wishlist,Admin users`, auth: true, database: true }))), 'x'));
    expect(asked.addedEdges.length).toBeGreaterThan(0);
    for (const phase of written.phases) expect(transitiveDependencies(written, phase.number)).toEqual(transitiveDependencies(asked, phase.number));
    expect(reduceDependencies(written).implied).toEqual([]);
    expect(written.phases.reduce((sum, phase) => sum + phase.dependencies.length, 0)).toBeLessThan(asked.phases.reduce((sum, phase) => sum + phase.dependencies.length, 0));
  });

  it('writes a plan the plugin parses, with files predicted by the core', async () => {
    await planGenerator(tree, { name: 'shop', features: SHOP_FEATURES, auth: true, database: true });
    const text = tree.read('apps/shop/phases.json', 'utf-8')!;
    const plan = parsePlan(text, 'apps/shop/phases.json');
    expect(plan.merge).toEqual({ '.env.example': 'lines', 'package.json': 'json', 'src/routes.tsx': 'regions' });
    for (const phase of plan.phases) {
      expect(phase.plannedFiles).toEqual(predictPhaseFiles(phase, new Set(Object.keys(plan.merge!))));
      expect(phase.predictedFiles).toBe(false);
    }
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('declares the wiring files mergeable, so feature phases register their routes, packages and variables without ordering edges', async () => {
    await planGenerator(tree, { name: 'shop', features: 'Product catalog,Search,Checkout,Contact form', auth: true, database: true });
    const plan = parsePlan(tree.read('apps/shop/phases.json', 'utf-8')!, 'apps/shop/phases.json');
    const planners = (file: string) => plan.phases.filter((phase) => phase.plannedFiles.includes(file)).map((phase) => phase.name);
    expect(planners('src/routes.tsx')).toEqual(['Setup', 'Auth', 'Product catalog', 'Search', 'Checkout', 'Contact form']);
    expect(planners('package.json')).toEqual(['Setup', 'Database', 'Search', 'Checkout', 'Contact form']);
    expect(planners('.env.example')).toEqual(['Setup', 'Database', 'Auth', 'Search', 'Checkout', 'Contact form']);
    expect(warnings).toEqual([]);
  });

  it('with --no-merge gives every wiring file one owner, as before', async () => {
    await planGenerator(tree, { name: 'shop', features: 'Product catalog,Search', merge: false });
    const plan = parsePlan(tree.read('apps/shop/phases.json', 'utf-8')!, 'apps/shop/phases.json');
    expect(plan.merge).toBeUndefined();
    expect(plan.phases.filter((phase) => phase.plannedFiles.includes('src/routes.tsx')).map((phase) => phase.name)).toEqual(['Setup']);
  });

  it('leaves out Database and Auth unless asked, so features depend on Setup only', async () => {
    await planGenerator(tree, { name: 'shop', features: 'Checkout,Admin panel' });
    expect(shape(read())).toEqual([
      [1, 'Setup', 'setup', []],
      [2, 'Checkout', 'feature', [1]],
      [3, 'Admin panel', 'admin', [2]],
      [4, 'Polish', 'polish', [3]],
    ]);
  });

  it('writes the edges conflict resolution adds and prints why', async () => {
    await planGenerator(tree, { name: 'shop', features: 'Search,Admin dashboard,Admin users' });
    expect(shape(read())).toEqual([
      [1, 'Setup', 'setup', []],
      [2, 'Search', 'feature', [1]],
      [3, 'Admin dashboard', 'admin', [2]],
      [4, 'Admin users', 'admin', [3]],
      [5, 'Polish', 'polish', [4]],
    ]);
    expect(warnings).toEqual([
      'nx-phases: apps/shop/phases.json: Phase 3 (Admin dashboard) and Phase 4 (Admin users) both plan to write src/admin/admin-dashboard.tsx; 4 now runs after 3',
    ]);
    expect(info.join('\n')).toContain('Dependencies added to resolve file conflicts (1):');
  });

  it('prints the execution plan', async () => {
    await planGenerator(tree, { name: 'shop', features: SHOP_FEATURES, auth: true, database: true });
    const printed = info.join('\n');
    expect(printed).toContain('Level 1: [Setup] (1 phase)');
    expect(printed).toContain('Level 2: [Database, Auth, Contact form] (3 parallel)');
    expect(printed).toContain('Level 3: [Product catalog, Shopping cart, Checkout, User profiles] (4 parallel)');
    expect(printed).toContain('Critical path by phase count (5 phases): Setup → Database → Product catalog → Admin dashboard → Polish');
    expect(printed).toContain('npx nx run-many -t phase -p tag:phase-plan:shop --parallel=3');
  });

  it('changes nothing but the plan file in the tree (so --dry-run writes nothing)', async () => {
    const before = tree.listChanges().length;
    await planGenerator(tree, { name: 'shop', features: 'Search' });
    expect(tree.listChanges().slice(before).map((c) => [c.path, c.type])).toEqual([['apps/shop/phases.json', 'CREATE']]);
  });

  it('defaults the directory to apps/<name> and normalises ./ and a trailing slash', async () => {
    await planGenerator(tree, { name: 'blog', features: 'Posts' });
    await planGenerator(tree, { name: 'crm', directory: './apps/sales/crm/', features: 'Contacts' });
    expect(tree.exists('apps/blog/phases.json')).toBe(true);
    expect(read('apps/sales/crm/phases.json').$schema).toBe('../../../node_modules/nx-phases/schemas/phases.schema.json');
  });

  it('accepts features as a list when called from code', async () => {
    await planGenerator(tree, { name: 'shop', features: ['Search', ' Wish  list '] });
    expect(read().phases.map((p) => p.name)).toEqual(['Setup', 'Search', 'Wish list', 'Polish']);
  });

  describe('rejects bad options with a fix and writes nothing', () => {
    const rejects = async (options: Parameters<typeof planGenerator>[1], message: RegExp) => {
      const before = tree.listChanges().length;
      await expect(planGenerator(tree, options)).rejects.toThrow(message);
      expect(tree.listChanges()).toHaveLength(before);
    };

    it.each([
      ['/abs/shop', /unknown --directory form "\/abs\/shop": it is an absolute path\. Pass a folder relative to the workspace root/],
      ['C:\\apps\\shop', /contains a backslash/],
      ['https://x/shop', /looks like a URL/],
      ['~/shop', /starts with ~/],
      ['apps/../../shop', /contains "\.\."/],
      ['node_modules/shop', /points into node_modules\//],
      ['apps/shop/.phases/1', /points into \.phases\//],
      ['apps/*', /the segment "\*" has characters/],
      ['apps/my shop', /the segment "my shop"/],
      ['.', /names no folder/],
      ['', /names no folder/],
    ])('an unknown directory form: %s', (directory, message) => rejects({ name: 'shop', directory, features: 'Search' }, message));

    it('an empty features list', () => rejects({ name: 'shop', features: ' , ,' }, /the features list is empty\. Pass at least one, e\.g\. --features=/));

    it('a duplicate feature, compared by project name', () =>
      rejects({ name: 'shop', features: 'Shopping cart,Search,shopping-cart' }, /duplicate feature "shopping-cart": it has the same project name \(shopping-cart\) as the feature "Shopping cart"/));

    it('a feature named like a built-in phase', () =>
      rejects({ name: 'shop', features: 'Auth,Search', auth: true }, /duplicate feature "Auth".*the built-in Auth phase.*--auth/));

    it('a feature without letters or digits', () => rejects({ name: 'shop', features: 'Search,!!!' }, /the feature "!!!" has no letters or digits/));

    it('a name clash with an existing plan elsewhere', async () => {
      tree.write('apps/store/phases.json', JSON.stringify({ name: 'shop', phases: [] }));
      await rejects({ name: 'shop', features: 'Search' }, /a plan named "shop" already exists in apps\/store\/phases\.json\. Pass another name/);
    });

    it('an existing plan in the same folder', async () => {
      tree.write('apps/shop/phases.json', JSON.stringify({ name: 'other', phases: [] }));
      await rejects({ name: 'shop', features: 'Search' }, /apps\/shop\/phases\.json already exists\. Edit it, delete it first, or pass another --directory/);
    });

    it('a name used by another Nx project', async () => {
      tree.write('libs/shop/project.json', JSON.stringify({ name: 'shop', root: 'libs/shop' }));
      await rejects({ name: 'shop', features: 'Search' }, /an Nx project named "shop" already exists at libs\/shop/);
    });

    it('a plan name that is not kebab-case', () => rejects({ name: 'My Shop', features: 'Search' }, /Pass e\.g\. "my-shop"/));

    it('a generator id the plan schema rejects', () =>
      rejects({ name: 'shop', features: 'Search', generator: 'not a generator' }, /the options produce an invalid plan\.\n[\s\S]*apps\/shop\/phases\.json: generator: "not a generator"/));
  });
});

describe('keyword heuristic', () => {
  it.each([
    ['Product catalog', true, false],
    ['Shopping cart', true, false],
    ['Checkout', true, true],
    ['User profiles', true, true],
    ['Order history', true, true],
    ['My account', true, true],
    ['Sign in', false, true],
    ['Contact form', false, false],
    ['Landing page', false, false],
    ['adminTools', true, true],
  ])('%s: stores data %s, involves accounts %s', (feature, storesData, involvesAccounts) => {
    expect(mentions(feature, STORES_DATA)).toBe(storesData);
    expect(mentions(feature, NEEDS_AUTH)).toBe(involvesAccounts);
  });
});
