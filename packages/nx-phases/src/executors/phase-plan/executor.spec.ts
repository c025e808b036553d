import type { ExecutorContext } from '@nx/devkit';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { NAV_CONFLICT_PLAN as PLAN } from '../../test-utils/nav-conflict-plan';
import { validManifest } from '../../test-utils/manifest';
import phasePlanExecutor from './executor';


describe('nx-phases:phase-plan executor', () => {
  let ws: TempWorkspace;
  let printed: string[];
  let errors: string[];
  const run = (options: { format?: 'text' | 'mermaid' | 'json' | 'html'; parallel?: number } = {}) =>
    phasePlanExecutor({ plan: 'apps/shop/phases.json', ...options }, { root: ws.root, cwd: ws.root, isVerbose: false } as ExecutorContext);
  const manifest = (number: number, durationMs: number) =>
    ws.write(`apps/shop/.phases/${number}/manifest.json`, validManifest({ phase: { number, name: `Phase ${number}` }, durationMs }));

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.write('apps/shop/phases.json', PLAN);
    printed = [];
    errors = [];
    jest.spyOn(console, 'log').mockImplementation((message) => void printed.push(String(message)));
    jest.spyOn(console, 'error').mockImplementation((message) => void errors.push(String(message)));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    ws.dispose();
  });

  it('prints levels, the added edge, the critical path and the lower bound, and writes nothing', async () => {
    await expect(run()).resolves.toEqual({ success: true });
    const text = printed.join('\n');
    expect(text).toContain('Level 2: [Auth] (1 phase)');
    expect(text).toContain('Phase 2 (Auth) and Phase 3 (Catalog) both plan to write src/nav.ts; 3 now runs after 2');
    expect(text).toContain('Critical path by phase count (3 phases): Setup → Auth → Catalog');
    expect(text).toContain('Lower bound on makespan with --parallel=3: max(3, 3 / 3) = 3 phase durations');
    expect(ws.exists('apps/shop/phase-plan.md') || ws.exists('apps/shop/phase-plan.json')).toBe(false);
  });

  it('names the nx graph command that shows the plan\'s phases and edges', async () => {
    const projects = { shop: { root: 'apps/shop', targets: { phase: { executor: 'nx-phases:assemble' }, 'phase-plan': { executor: 'nx-phases:phase-plan' } } } };
    await phasePlanExecutor({ plan: 'apps/shop/phases.json' }, { root: ws.root, cwd: ws.root, isVerbose: false, projectName: 'shop', projectsConfigurations: { version: 2, projects } } as unknown as ExecutorContext);
    expect(printed.join('\n')).toContain("In nx graph (the plan's phases and their edges as a task graph): npx nx run shop:phase --graph");
  });

  it('estimates time from the durations earlier runs left in the manifests', async () => {
    manifest(1, 2000);
    manifest(2, 4000);
    await run({ parallel: 2 });
    expect(printed.join('\n')).toContain('Critical path by estimated time (9.0 s; 2 of 3 phases measured): Setup → Auth → Catalog');
  });

  it('writes phase-plan.md next to the plan with --format=mermaid', async () => {
    await run({ format: 'mermaid' });
    const markdown = ws.read('apps/shop/phase-plan.md');
    expect(markdown).toContain('```mermaid\nflowchart LR\n  subgraph level1["Level 1 (1 phase)"]');
    expect(markdown).toContain('  p2 -. "src/nav.ts" .-> p3');
    expect(printed.join('\n')).toContain('Wrote apps/shop/phase-plan.md');
  });

  it('writes phase-plan.json next to the plan with --format=json', async () => {
    manifest(1, 1500);
    await run({ format: 'json', parallel: 4 });
    const report = JSON.parse(ws.read('apps/shop/phase-plan.json'));
    expect(report).toMatchObject({ plan: 'shop', planFile: 'apps/shop/phases.json', phaseCount: 3, parallel: 4 });
    expect(report.byTime).toMatchObject({ measuredPhases: 1, criticalPath: { phases: [1, 2, 3], length: 4500 } });
  });

  it('writes a self-contained phase-plan.html next to the plan with --format=html', async () => {
    manifest(1, 1500);
    await expect(run({ format: 'html' })).resolves.toEqual({ success: true });
    const html = ws.read('apps/shop/phase-plan.html');
    expect(html.match(/<g class="phase[ "]/g)).toHaveLength(3);
    expect(html).toMatch(/<g class="edge conflict-fix[^"]*" data-from="2" data-to="3"><title>Phase 2 \(Auth\) and Phase 3 \(Catalog\) both plan to write src\/nav\.ts/);
    expect(html).toContain('critical path (by recorded durations)');
    expect(printed.join('\n')).toContain('Wrote apps/shop/phase-plan.html');
  });

  it('fails with the plan problems and writes nothing for an invalid plan', async () => {
    ws.write('apps/shop/phases.json', { name: 'shop', phases: [{ number: 1, name: 'A', dependencies: [9] }] });
    await expect(run({ format: 'json' })).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toMatch(/apps\/shop\/phases\.json: phases\[0\]\.dependencies\[0\]/);
    expect(ws.exists('apps/shop/phase-plan.json')).toBe(false);
  });
});
