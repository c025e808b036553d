import { logger, type PostTasksExecutionContext, type TaskResult } from '@nx/devkit';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { BASELINES_FILE } from '../report/baseline-store';
import { recordPhaseRun, RUN_ID_ENV } from '../runtime/run-records';
import { LAST_RUN_FILE, LAST_RUN_PAGE, postTasksExecution, type LastRunReport } from './post-tasks-execution';

const PLAN = {
  name: 'shop',
  phases: [
    { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['src/App.tsx'] },
    { number: 2, name: 'Auth', domain: 'auth', dependencies: [1], plannedFiles: ['src/auth.ts'] },
    { number: 3, name: 'Catalog', dependencies: [1], plannedFiles: ['src/catalog.ts'] },
  ],
};

function result(project: string, projectRoot: string, status: TaskResult['status'], start: number, end: number, target = 'phase'): TaskResult {
  return {
    task: { id: `${project}:${target}`, target: { project, target }, overrides: {}, outputs: [], projectRoot, startTime: start, endTime: end, cache: true },
    status,
    code: status === 'failure' ? 1 : 0,
  } as TaskResult;
}

describe('postTasksExecution', () => {
  let ws: TempWorkspace;
  let printed: string[];
  const context = (results: TaskResult[], argv = ['nx', 'run-many', '-t', 'phase', '--parallel=2']): PostTasksExecutionContext => ({
    id: 'run',
    workspaceRoot: ws.root,
    nxJsonConfiguration: {},
    argv,
    startTime: 900,
    endTime: 5000,
    taskResults: Object.fromEntries(results.map((r) => [r.task.id, r])),
  });
  const lastRun = () => JSON.parse(ws.read(LAST_RUN_FILE)) as LastRunReport;

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.write('apps/shop/phases.json', PLAN);
    ws.write('apps/shop/.phases/1/manifest.json', {
      plan: 'shop', phase: { number: 1, name: 'Setup' }, files: {}, features: [], snapshotHash: '0'.repeat(64),
      generator: { use: 'nx-phases:openai', options: { apiKeyEnv: 'SECRET_KEY_NAME', baseUrl: 'https://llm.invalid' } },
      durationMs: 950, usage: { calls: 1, retries: 0, promptTokens: 10, completionTokens: 5, waitMs: 0 }, warnings: [],
    });
    printed = [];
    jest.spyOn(logger, 'info').mockImplementation((message) => void printed.push(String(message)));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    ws.dispose();
  });

  it('writes last-run.json and prints a summary after a run with phase tasks', async () => {
    await postTasksExecution!({}, context([
      result('shop-1-setup', 'apps/shop/.phases/1', 'success', 1000, 2000),
      result('shop-2-auth', 'apps/shop/.phases/2', 'local-cache', 2000, 2100),
      result('shop-3-catalog', 'apps/shop/.phases/3', 'failure', 2000, 2600),
      result('shop', 'apps/shop', 'skipped', 2600, 2600),
      result('nx-phases', 'packages/nx-phases', 'success', 0, 4000, 'build'),
    ]));
    const report = lastRun();
    expect(report.parallel).toBe(2);
    expect(report.plans).toHaveLength(1);
    expect(report.plans[0]).toMatchObject({
      plan: 'shop',
      planFile: 'apps/shop/phases.json',
      counts: { ran: 1, 'cache hit': 1, failed: 1, skipped: 0 },
      makespanMs: 1600,
      sumOfDurationsMs: 1700,
      criticalPath: { phases: [1, 3], length: 1600 },
      lowerBoundMs: 1600,
      efficiency: 1,
    });
    expect(report.plans[0].phases.map((p) => [p.project, p.status, p.durationMs, p.generatedInMs])).toEqual([
      ['shop-1-setup', 'ran', 1000, 950],
      ['shop-2-auth', 'cache hit', 100, undefined],
      ['shop-3-catalog', 'failed', 600, undefined],
    ]);
    const summary = printed.join('\n');
    expect(summary).toContain('nx-phases: shop: 3 phases: 1 ran, 1 cache hit, 1 failed, 0 skipped (--parallel=2)');
    expect(summary).toContain(`Run report: ${LAST_RUN_PAGE} (Gantt chart, open it in a browser) and ${LAST_RUN_FILE}`);
    const page = ws.read(LAST_RUN_PAGE);
    expect(page.match(/<g class="bar-group /g)).toHaveLength(3);
    expect(page).toContain('data-status="cache hit"');
    expect(summary.trim().split('\n').length).toBeLessThanOrEqual(24);
  });

  it('reports the phases Nx skipped after a failure, and what the failed attempts spent (issue 16 item 5)', async () => {
    const saved = process.env[RUN_ID_ENV];
    process.env[RUN_ID_ENV] = 'run';
    const usage = { calls: 7, retries: 6, promptTokens: 0, completionTokens: 0, waitMs: 3000 };
    try {
      recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, {
        startedAt: 1000, endedAt: 2000, success: false, usage,
        blocked: [{ number: 2, project: 'shop-2-auth' }, { number: 3, project: 'shop-3-catalog' }],
      });
    } finally {
      if (saved === undefined) delete process.env[RUN_ID_ENV];
      else process.env[RUN_ID_ENV] = saved;
    }
    // Nx 23.3 leaves skipped tasks out of taskResults: only the failure is there.
    await postTasksExecution!({}, context([result('shop-1-setup', 'apps/shop/.phases/1', 'failure', 1000, 2000)]));
    const plan = lastRun().plans[0];
    expect(plan.counts).toEqual({ ran: 0, 'cache hit': 0, failed: 1, skipped: 2 });
    expect(plan.phases.map((p) => [p.project, p.status, p.startOffsetMs, p.durationMs])).toEqual([
      ['shop-1-setup', 'failed', 0, 1000],
      ['shop-2-auth', 'skipped', 1000, 0],
      ['shop-3-catalog', 'skipped', 1000, 0],
    ]);
    expect(plan.usageSpent).toEqual(usage);
    const summary = printed.join('\n');
    expect(summary).toContain('nx-phases: shop: 3 phases: 0 ran, 0 cache hits, 1 failed, 2 skipped (--parallel=2)');
    expect(summary).toContain('  skipped (a phase they depend on failed): Auth (shop-2-auth), Catalog (shop-3-catalog)');
    expect(summary).toContain('  generator usage this run: 7 calls, 6 retries, 0 tokens');
    const page = ws.read(LAST_RUN_PAGE);
    expect([...page.matchAll(/data-phase="(\d+)" data-level="\d+" data-status="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['1 failed', '2 skipped', '3 skipped']);
    expect(page).toContain('<th>generator calls (failed attempts included)</th><td>7</td>');
    expect(page).toContain('<th>retries</th><td>6</td>');
  });

  it('reports average concurrency, and a speed-up only against a measured --parallel=1 run of the same phases', async () => {
    const allPhases = (ends: [number, number, number]) => [
      result('shop-1-setup', 'apps/shop/.phases/1', 'success', 0, 1000),
      result('shop-2-auth', 'apps/shop/.phases/2', 'success', 1000, ends[0]),
      result('shop-3-catalog', 'apps/shop/.phases/3', 'success', ends[1], ends[2]),
    ];
    await postTasksExecution!({}, context(allPhases([2000, 1000, 2000])));
    expect(lastRun().plans[0]).toMatchObject({ averageConcurrency: 1.5 });
    expect(lastRun().plans[0].speedUp).toBeUndefined();
    expect(printed.join('\n')).toContain('speed-up: not measured (no sequential baseline of these 3 phases');

    await postTasksExecution!({}, context(allPhases([2000, 2000, 3000]), ['nx', 'run-many', '-t', 'phase', '--parallel=1']));
    expect(JSON.parse(ws.read(BASELINES_FILE))['apps/shop/phases.json']).toMatchObject({ phases: [1, 2, 3], makespanMs: 3000 });
    expect(printed.join('\n')).toContain('recorded as the sequential baseline for these 3 phases');

    printed.length = 0;
    await postTasksExecution!({}, context(allPhases([2000, 1000, 2000])));
    expect(lastRun().plans[0].speedUp).toMatchObject({ factor: 1.5, baseline: { makespanMs: 3000 } });
    expect(printed.join('\n')).toContain('speed-up 1.50× against the measured sequential baseline: the --parallel=1 run of the same 3 phases');
  });

  it('prints nothing when the terminal showed the summary the aggregate target printed, so it appears once', async () => {
    const withAggregate = [result('shop-1-setup', 'apps/shop/.phases/1', 'success', 1000, 2000), result('shop', 'apps/shop', 'success', 2000, 2100)];
    for (const argv of [['node', 'nx', 'run-many', '-t', 'phase'], ['node', 'nx', 'run', 'shop:phase'], ['node', 'nx', 'affected', '-t', 'phase', '--outputStyle=static']]) {
      await postTasksExecution!({}, context(withAggregate, argv));
      expect(lastRun().plans[0].counts.ran).toBe(1);
      expect(printed).toEqual([]);
    }
  });

  it('prints the summary when Nx hides the aggregate target\'s output (an output style the user chose, the terminal UI)', async () => {
    const withAggregate = [result('shop-1-setup', 'apps/shop/.phases/1', 'success', 1000, 2000), result('shop', 'apps/shop', 'success', 2000, 2100)];
    await postTasksExecution!({}, context(withAggregate, ['node', 'nx', 'run-many', '-t', 'phase', '--outputStyle=static-failures-only']));
    process.env.NX_TUI = 'true';
    try {
      await postTasksExecution!({}, context(withAggregate, ['node', 'nx', 'run-many', '-t', 'phase']));
    } finally {
      delete process.env.NX_TUI;
    }
    expect(printed).toHaveLength(2);
    for (const text of printed) {
      expect(text).toContain('nx-phases: shop: 1 phase: 1 ran, 0 cache hits, 0 failed, 0 skipped');
      expect(text).toContain(`Run report: ${LAST_RUN_PAGE} (Gantt chart, open it in a browser) and ${LAST_RUN_FILE}`);
    }
  });

  it('removes the phases\' run records of this run', async () => {
    ws.write('.nx/workspace-data/nx-phases/runs/run/abc-1.json', { startedAt: 1, endedAt: 2, success: true });
    await postTasksExecution!({}, context([result('shop-1-setup', 'apps/shop/.phases/1', 'success', 1000, 2000)]));
    expect(ws.exists('.nx/workspace-data/nx-phases/runs/run')).toBe(false);
  });

  it('rounds money in last-run.json to 6 decimals (phase costs and the run\'s sums), like the estimate', async () => {
    const manifest = JSON.parse(ws.read('apps/shop/.phases/1/manifest.json'));
    ws.write('apps/shop/.phases/1/manifest.json', { ...manifest, cost: { usd: 0.0008975999999999999, models: ['gpt-4.1-mini'], priceTableDate: '2025-08-07' } });
    ws.write('apps/shop/.phases/2/manifest.json', {
      ...manifest, phase: { number: 2, name: 'Auth' }, cost: { usd: 0.0001 + 0.0002, models: ['gpt-4.1-mini'], priceTableDate: '2025-08-07' },
    });
    await postTasksExecution!({}, context([
      result('shop-1-setup', 'apps/shop/.phases/1', 'success', 1000, 2000),
      result('shop-2-auth', 'apps/shop/.phases/2', 'success', 2000, 2100),
    ]));
    const text = ws.read(LAST_RUN_FILE);
    expect(text.match(/"\w*(usd|Usd)": -?\d+\.\d{7,}/g)).toBeNull();
    const plan = lastRun().plans[0];
    expect(plan.phases.map((p) => p.cost?.usd)).toEqual([0.000898, 0.0003]);
    expect(plan.costSpent.usd).toBe(0.001198);
  });

  it('keeps generator settings and API key names out of the report', async () => {
    await postTasksExecution!({}, context([result('shop-1-setup', 'apps/shop/.phases/1', 'success', 1000, 2000)]));
    const text = ws.read(LAST_RUN_FILE);
    expect(text).not.toContain('SECRET_KEY_NAME');
    expect(text).not.toContain('llm.invalid');
  });

  it('does nothing after a run without phase tasks', async () => {
    await postTasksExecution!({}, context([result('nx-phases', 'packages/nx-phases', 'success', 0, 10, 'build')]));
    expect(ws.exists(LAST_RUN_FILE)).toBe(false);
    expect(printed).toEqual([]);
  });

  it('follows a custom target name', async () => {
    const results = [result('shop-1-setup', 'apps/shop/.phases/1', 'success', 1000, 2000, 'generate')];
    await postTasksExecution!({}, context(results));
    expect(ws.exists(LAST_RUN_FILE)).toBe(false);
    await postTasksExecution!({ targetName: 'generate' }, context(results));
    expect(lastRun().plans[0].counts.ran).toBe(1);
  });

  it('reports plans at the workspace root and several plans in one run', async () => {
    ws.write('phases.json', { name: 'root', phases: [{ number: 1, name: 'Only', plannedFiles: ['a.ts'] }] });
    await postTasksExecution!({}, context([
      result('root-1-only', '.phases/1', 'success', 0, 10),
      result('shop-1-setup', 'apps/shop/.phases/1', 'success', 0, 20),
    ]));
    expect(lastRun().plans.map((p) => [p.plan, p.planFile])).toEqual([['root', 'phases.json'], ['shop', 'apps/shop/phases.json']]);
  });

  it('warns instead of failing the run when the report cannot be written', async () => {
    ws.write('.nx/nx-phases', 'a file where the folder should be');
    const warnings: string[] = [];
    jest.spyOn(console, 'warn').mockImplementation((message) => void warnings.push(String(message)));
    await expect(postTasksExecution!({}, context([result('shop-1-setup', 'apps/shop/.phases/1', 'success', 0, 10)]))).resolves.toBeUndefined();
    expect(warnings[0]).toMatch(/could not write \.nx\/nx-phases\/last-run\.json .*The run itself is not affected/);
  });
});
