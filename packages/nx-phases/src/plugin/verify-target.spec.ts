import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import assembleExecutor from '../executors/assemble/executor';
import phaseExecutor from '../executors/phase/executor';
import verifyExecutor from '../executors/verify/executor';
import { planGenerator } from '../generators/plan/generator';
import { topologicalOrder } from '../plan';
import { FsTree, flushChanges } from '../runtime/nx-tree';
import { loadPlan } from '../runtime/load-plan';
import { normalizePluginOptions } from './options';
import { planNodesInput } from './plan-nodes';
import { planToolTargets } from './plan-tool-targets';

/** The repo root: temp workspaces live in its ignored tmp/ so react and @types/react resolve from its node_modules. */
const REPO_ROOT = resolve(__dirname, '../../../..');

jest.setTimeout(240_000);

/**
 * Runs every phase of a plan with the real executor, in dependency order, then the plan's aggregate target (which
 * merges the mergeable files), like `nx run-many -t phase --parallel=1`.
 */
async function runAllPhases(root: string, planFile: string): Promise<void> {
  const loaded = loadPlan(root, planFile);
  const context = { root, cwd: root, isVerbose: false } as ExecutorContext;
  for (const phase of topologicalOrder(loaded.plan)) {
    const result = await phaseExecutor({ plan: planFile, phase }, context);
    if (!result.success) throw new Error(`Phase ${phase} of ${planFile} failed; see the logged error.`);
  }
  if (!(await assembleExecutor({ plan: planFile }, context)).success) throw new Error(`The aggregate target of ${planFile} failed; see the logged error.`);
}

/**
 * Runs the plan project's inferred `verify` target (its executor with the inferred options) in the workspace, with
 * the repo's node_modules/.bin on PATH (the temp workspace has none); resolves to its result and what it printed.
 */
async function runVerify(root: string, planFile: string): Promise<{ success: boolean; output: string }> {
  const verify = planToolTargets(planNodesInput(loadPlan(root, planFile), normalizePluginOptions({}), undefined, root)).verify;
  expect(verify.executor).toBe('nx-phases:verify');
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args) => void printed.push(args.join(' ')));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
  const path = process.env.PATH;
  process.env.PATH = `${join(REPO_ROOT, 'node_modules', '.bin')}:${path}`;
  try {
    const result = await verifyExecutor(verify.options as { plan: string; tsconfig: string }, { root, cwd: root, isVerbose: false } as ExecutorContext);
    return { success: result.success, output: printed.join('\n') };
  } finally {
    process.env.PATH = path;
    log.mockRestore();
    write.mockRestore();
  }
}

describe('verify on generated apps (scaffold generator + tsc)', () => {
  let root: string;

  beforeAll(() => {
    mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
    root = mkdtempSync(join(REPO_ROOT, 'tmp', 'verify-'));
    // The plans' type-check runs in each phase's snapshot with the workspace's node_modules linked in.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it('passes on the demo shop plan', async () => {
    const demo = join(REPO_ROOT, 'packages', 'demo-shop');
    // Without its per-phase type-check (demo-shop.spec runs the demo with it): this test is about verify, and 14 checks cost ~40 s of CPU.
    const { check: _check, ...plan } = JSON.parse(readFileSync(join(demo, 'phases.json'), 'utf8'));
    mkdirSync(join(root, 'apps/demo'), { recursive: true });
    writeFileSync(join(root, 'apps/demo/phases.json'), JSON.stringify(plan));
    cpSync(join(demo, 'docs'), join(root, 'apps/demo/docs'), { recursive: true });
    await runAllPhases(root, 'apps/demo/phases.json');
    const result = await runVerify(root, 'apps/demo/phases.json');
    expect(result.success).toBe(true);
    expect(result.output).toContain('> tsc --noEmit -p apps/demo/tsconfig.json');
    expect(result.output).not.toContain('error TS');
  });

  it('passes on a plan made by the planner (every phase passing the planner\'s type-check in its own snapshot)', async () => {
    const tree = new FsTree(root, false);
    await planGenerator(tree, {
      name: 'store',
      directory: 'apps/store',
      features: 'Product catalog,Shopping cart,Checkout,User profiles,Admin dashboard,Admin users,Contact form,Sign in',
      auth: true,
      database: true,
    });
    flushChanges(root, tree.listChanges());
    await runAllPhases(root, 'apps/store/phases.json');
    const store = loadPlan(root, 'apps/store/phases.json').plan;
    expect(store.check?.command).toBe('tsc --noEmit -p tsconfig.json');
    const result = await runVerify(root, 'apps/store/phases.json');
    expect(result.success).toBe(true);
    expect(result.output).toContain('> tsc --noEmit -p apps/store/tsconfig.json');
    expect(result.output).not.toContain('error TS');
    expect(result.output).toContain(`nx-phases: verify: store: ${store.phases.length} phases committed with a check: ${store.phases.length} passed first time (100 %), 0 repaired`);
  });

  it('fails, naming the file, when the merged app does not type-check', async () => {
    writeFileSync(join(root, 'apps/store/src/broken.ts'), 'export const total: number = "12";\n');
    const result = await runVerify(root, 'apps/store/phases.json');
    expect(result.success).toBe(false);
    expect(result.output).toContain("src/broken.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
  });
});
