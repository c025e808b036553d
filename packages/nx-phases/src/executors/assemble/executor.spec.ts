import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { NAV_CONFLICT_PLAN as PLAN } from '../../test-utils/nav-conflict-plan';
import { preTasksExecution } from '../../plugin/pre-tasks-execution';
import { recordPhaseRun, RUN_ID_ENV, RUN_PARALLEL_ENV } from '../../runtime/run-records';
import assembleExecutor from './executor';


function taskGraph(numbers: number[]): TaskGraph {
  const task = (project: string, projectRoot: string) => ({ id: `${project}:phase`, target: { project, target: 'phase' }, projectRoot, overrides: {}, outputs: [], cache: true, parallelism: true });
  const tasks = Object.fromEntries([
    ...numbers.map((n) => [`shop-${n}:phase`, task(`shop-${n}`, `apps/shop/.phases/${n}`)] as const),
    ['shop:phase', task('shop', 'apps/shop')] as const,
    ['other:build', { ...task('other', 'apps/other'), id: 'other:build', target: { project: 'other', target: 'build' } }] as const,
  ]);
  return { roots: [], tasks, dependencies: {}, continuousDependencies: {} } as unknown as TaskGraph;
}

describe('nx-phases:assemble executor (the plan aggregate target)', () => {
  let ws: TempWorkspace;
  let printed: string[];
  const saved = { id: process.env[RUN_ID_ENV], parallel: process.env[RUN_PARALLEL_ENV] };
  const run = (numbers: number[]) =>
    assembleExecutor({ plan: 'apps/shop/phases.json' }, { root: ws.root, cwd: ws.root, isVerbose: false, targetName: 'phase', projectName: 'shop', taskGraph: taskGraph(numbers) } as ExecutorContext);

  beforeEach(async () => {
    ws = new TempWorkspace();
    ws.write('apps/shop/phases.json', PLAN);
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((message) => void printed.push(String(message)));
    await preTasksExecution!({}, { id: '12345', workspaceRoot: ws.root, nxJsonConfiguration: {}, argv: ['nx', 'run-many', '-t', 'phase', '--parallel=2'] });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    for (const [name, value] of [[RUN_ID_ENV, saved.id], [RUN_PARALLEL_ENV, saved.parallel]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    ws.dispose();
  });

  it('prints the conflict fixes and a summary of this run: recorded phases ran, the others came from cache', async () => {
    expect(process.env[RUN_ID_ENV]).toBe('12345');
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, { startedAt: 1000, endedAt: 2000, success: true });
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 3, { startedAt: 2000, endedAt: 2500, success: true });
    await expect(run([1, 2, 3])).resolves.toEqual({ success: true });
    const lines = printed.join('\n').split('\n');
    expect(lines[0]).toBe('nx-phases: apps/shop/phases.json: Phase 2 (Auth) and Phase 3 (Catalog) both plan to write src/nav.ts; 3 now runs after 2');
    expect(lines[1]).toBe('nx-phases: shop: 3 phases: 2 ran, 1 cache hit, 0 failed, 0 skipped (--parallel=2)');
    expect(lines[2]).toMatch(/^ {2}makespan 1\.5 s · Σ durations 1\.5 s · average concurrency 1\.00 · /);
    expect(lines.at(-1)).toBe('Run report: .nx/nx-phases/last-run.html (Gantt chart, open it in a browser) and .nx/nx-phases/last-run.json');
  });

  it('ignores records of another run and of another plan', async () => {
    recordPhaseRun(ws.root, 'apps/other/phases.json', 1, { startedAt: 1000, endedAt: 2000, success: true });
    process.env[RUN_ID_ENV] = 'another-run';
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 2, { startedAt: 1000, endedAt: 2000, success: true });
    process.env[RUN_ID_ENV] = '12345';
    await run([1, 2, 3]);
    // An all-cache run says so instead of printing a makespan of 0 ms and an efficiency of 0.00.
    expect(printed.join('\n').split('\n').slice(1)).toEqual([
      'nx-phases: shop: 3 phases: 0 ran, 3 cache hits, 0 failed, 0 skipped (--parallel=2)',
      '  all 3 phases restored from cache; nothing was generated',
      '  generator usage this run: none; the cache saved 0 calls, 0 retries, 0 tokens',
      'Run report: .nx/nx-phases/last-run.html (Gantt chart, open it in a browser) and .nx/nx-phases/last-run.json',
    ]);
  });

  it('prints only the conflict fixes outside an nx run', async () => {
    delete process.env[RUN_ID_ENV];
    await expect(run([1, 2, 3])).resolves.toEqual({ success: true });
    expect(printed.join('\n').split('\n')).toEqual(['nx-phases: apps/shop/phases.json: Phase 2 (Auth) and Phase 3 (Catalog) both plan to write src/nav.ts; 3 now runs after 2']);
  });

  it('fails with the plan problems for an invalid plan', async () => {
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((message) => void errors.push(String(message)));
    ws.write('apps/shop/phases.json', { name: 'shop', phases: [{ number: 1, name: 'A', dependencies: [9] }] });
    await expect(run([1])).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(/apps\/shop\/phases\.json: phases\[0\]\.dependencies\[0\]/);
  });
});
