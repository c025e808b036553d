import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import assembleExecutor from '../../executors/assemble/executor';
import phaseExecutor from '../../executors/phase/executor';
import { computeLevels, parsePlan, resolveConflicts } from '../../plan';
import { manifestWithoutTimings } from '../../test-utils/manifest';
import { readTree, tempFolders, typeCheck } from './test-utils/temp-app';

jest.setTimeout(240_000);

const DEMO = resolve(__dirname, '../../../../demo-shop');
const WORKSPACE_NODE_MODULES = resolve(__dirname, '../../../../../node_modules');
const folders = tempFolders('demo-shop-merge');
afterAll(() => folders.cleanup());

/** Runs the demo plan through the real phase executor in `order`, then the plan's aggregate target; returns the workspace. */
async function generateDemo(order: number[]): Promise<string> {
  const root = folders.create();
  // The demo's type-check runs in each phase's snapshot with the workspace's node_modules linked in.
  symlinkSync(join(WORKSPACE_NODE_MODULES), join(root, 'node_modules'), 'dir');
  mkdirSync(join(root, 'apps/shop/docs'), { recursive: true });
  copyFileSync(join(DEMO, 'phases.json'), join(root, 'apps/shop/phases.json'));
  copyFileSync(join(DEMO, 'docs/brand.md'), join(root, 'apps/shop/docs/brand.md'));
  const context = { root, cwd: root, isVerbose: false, projectsConfigurations: { version: 2, projects: {} }, nxJsonConfiguration: {} } as unknown as ExecutorContext;
  for (const phase of order) {
    const result = await phaseExecutor({ plan: 'apps/shop/phases.json', phase }, context);
    if (!result.success) throw new Error(`phase ${phase} failed`);
  }
  expect(await assembleExecutor({ plan: 'apps/shop/phases.json' }, context)).toEqual({ success: true });
  return root;
}

/** The app and its records, manifests without their timing fields. */
function appFiles(root: string): Record<string, string> {
  const files = readTree(join(root, 'apps/shop'));
  for (const path of Object.keys(files).filter((file) => file.endsWith('manifest.json'))) {
    files[path] = JSON.stringify(manifestWithoutTimings(JSON.parse(files[path])));
  }
  return files;
}

describe('the demo shop with mergeable wiring files (package.json, .env.example, src/routes.tsx)', () => {
  const plan = resolveConflicts(parsePlan(readFileSync(join(DEMO, 'phases.json'), 'utf8'), 'phases.json'));
  const levels = computeLevels(plan);
  const byNumber = plan.phases.map((phase) => phase.number);
  // Another valid schedule: level by level, and within a level the highest number first.
  const reversed = [...byNumber].sort((a, b) => levels.get(a)! - levels.get(b)! || b - a);
  let first: string;
  let app: Record<string, string>;

  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    first = await generateDemo(byNumber);
    app = appFiles(first);
  });
  afterAll(() => jest.restoreAllMocks());

  it('lets every page phase register its own route and navigation link; the shell wires no page', () => {
    const routes = app['src/routes.tsx'];
    for (const hashPath of ['/login', '/product-catalog', '/search', '/shopping-cart', '/checkout', '/user-profiles', '/reviews', '/wishlist', '/contact', '/admin']) {
      expect(routes).toContain(`  { path: '${hashPath}', `);
      expect(routes).toContain(`  { to: '${hashPath}', `);
    }
    expect(app['src/App.tsx']).not.toContain("from './pages/");
    expect(app['src/App.tsx']).toContain('shellNavigation');
    expect(JSON.parse(app['.phases/6/contributions.json'])['src/routes.tsx'].regions.map((region: { name: string }) => region.name)).toEqual([
      'imports',
      'routes',
      'navigation',
    ]);
  });

  it('lets phases add their npm dependencies and environment variables', () => {
    expect(Object.keys(JSON.parse(app['package.json']).dependencies).sort()).toEqual(['@prisma/client', '@stripe/stripe-js', 'date-fns', 'fuse.js', 'react', 'react-dom', 'zod']);
    expect(app['.env.example'].split('\n').filter((line) => line.includes('='))).toEqual([
      'PORT=5173',
      'DATABASE_URL=file:./dev.db',
      'AUTH_SECRET=change-me',
      'SEARCH_RESULTS_PER_PAGE=20',
      'STRIPE_PUBLISHABLE_KEY=pk_test_change_me',
      'SUPPORT_EMAIL=support@example.com',
      'API_BASE_URL=http://localhost:3000/api',
    ]);
  });

  it('type-checks (the verify target)', async () => {
    const result = await typeCheck(join(first, 'apps/shop'));
    if (result.status !== 0) console.error(`tsc failed:\n${result.output}`);
    expect(result).toEqual({ status: 0, output: '' });
  });

  it('gives byte-identical files and records when the phases run in another valid order', async () => {
    expect(reversed).not.toEqual(byNumber);
    expect(appFiles(await generateDemo(reversed))).toEqual(app);
  });
});
