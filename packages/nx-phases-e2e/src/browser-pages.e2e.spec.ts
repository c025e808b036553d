import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nxBin, type NxRun } from './utils/e2e-workspace';
import { openBrowser, loadPage, type Browser } from './utils/browser';
import { nxEnv } from './utils/nx-env';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

const DEMO = resolve(__dirname, '..', '..', 'demo-shop');
/** `tools/screenshots/generate.sh` sets this to the README's image folder: the screenshots are copied there. */
const README_IMAGES = process.env.NX_PHASES_README_IMAGES;
const README_PICTURES: Record<string, string> = { 'plan-view.png': 'plan-view.png', 'gantt-parallel-3.png': 'run-gantt.png', 'nx-graph.png': 'nx-graph-recipe.png' };
const CONFLICT_REASON = 'Phase 4 (Product Catalog) and Phase 9 (Reviews) both plan to write src/components/star-rating.tsx; added dependency 9 → 4';

/**
 * Issue 11 item 6: the plan view, the run's Gantt page and the `nx graph` recipe, loaded in Debian's headless
 * Chromium with every network request refused (the graph page may only reach its own 127.0.0.1 server).
 * Assertions are about what a person sees; each page is also saved as a screenshot under the suite's temp folder.
 */
describe('the HTML pages in a real browser', () => {
  const scenario = createScenario('browser-pages');
  const { workspace } = scenario;
  const screenshots = join(scenario.state.tempRoot, 'screenshots');
  const plan = JSON.parse(readFileSync(join(DEMO, 'phases.json'), 'utf8')) as PlanDocument;
  const planEdges = plan.phases.reduce((sum, phase) => sum + (phase.dependencies ?? []).length, 0);
  let browser: Browser;
  const fileUrl = (...parts: string[]) => pathToFileURL(workspace.path(...parts)).href;
  const shot = (name: string) => join(screenshots, name);

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    cpSync(join(DEMO, 'phases.json'), workspace.path('apps/shop/phases.json'));
    cpSync(join(DEMO, 'docs'), workspace.path('apps/shop/docs'), { recursive: true });
    workspace.commitAll('demo shop plan');
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (!README_IMAGES) return;
    mkdirSync(README_IMAGES, { recursive: true });
    for (const [taken, published] of Object.entries(README_PICTURES)) {
      if (existsSync(shot(taken))) cpSync(shot(taken), join(README_IMAGES, published));
    }
  });

  it('plan view: one box per phase, every edge, the conflict fix marked with its reason, the critical path', async () => {
    workspace.nx(['run', 'shop:phase-plan', '--format=html']);
    const { page, errors, blocked } = await loadPage(browser, fileUrl('apps/shop/phase-plan.html'));
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    const boxes = page.locator('svg#plan g.phase');
    expect(await boxes.count()).toBe(plan.phases.length);
    for (const phase of plan.phases) await expect(page.locator(`#phase-${phase.number} text.name`).textContent()).resolves.toContain(`${phase.number}.`);
    expect(await page.locator('svg#plan g.phase').evaluateAll((gs) => gs.every((g) => g.getBoundingClientRect().width > 100))).toBe(true);
    expect(await page.locator('svg#plan g.edge').count()).toBe(planEdges + 1);
    const fix = page.locator('svg#plan g.edge.conflict-fix');
    expect(await fix.count()).toBe(1);
    expect(await fix.getAttribute('data-from')).toBe('4');
    expect(await fix.getAttribute('data-to')).toBe('9');
    expect(await fix.locator('title').textContent()).toBe(CONFLICT_REASON);
    expect(await fix.locator('path.line').evaluate((line) => line.ownerDocument.defaultView!.getComputedStyle(line).strokeDasharray)).not.toBe('none');
    expect(await page.locator('svg#plan g.phase.critical').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('svg#plan g.edge.critical').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByText('critical path (by phase count)').isVisible()).toBe(true);
    await page.setViewportSize({ width: 1640, height: 1000 });
    await page.screenshot({ path: shot('plan-view.png'), fullPage: true });
  });

  it('plan view stays usable at 200 phases: every box drawn inside a bounded width, long names cut with a tooltip', async () => {
    const phases = Array.from({ length: 200 }, (_, i) => {
      const number = i + 1;
      const dependencies = number === 1 ? [] : [...new Set([Math.max(1, number - 1 - ((number * 7) % 15)), ...(number % 3 === 0 ? [Math.max(1, number - 20)] : [])])];
      const name = number % 17 === 0 ? `A phase with a very long name that cannot fit into its box ${number}` : `Phase ${number}`;
      return { number, name, features: ['List', 'Details'], dependencies, plannedFiles: [`src/p${number}.ts`] };
    });
    writePlan(workspace.root, 'apps/big', { name: 'big', phases });
    try {
      workspace.nx(['run', 'big:phase-plan', '--format=html']);
    } finally {
      // Only the page is needed: the runs below must not see a second plan.
      if (existsSync(workspace.path('apps/big/phase-plan.html'))) cpSync(workspace.path('apps/big/phase-plan.html'), join(screenshots, 'plan-view-200.html'));
      rmSync(workspace.path('apps/big'), { recursive: true, force: true });
    }
    const { page, errors, blocked } = await loadPage(browser, pathToFileURL(join(screenshots, 'plan-view-200.html')).href);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    expect(await page.locator('svg#plan g.phase').count()).toBe(200);
    expect(await page.locator('svg#plan g.edge').count()).toBe(phases.reduce((sum, p) => sum + p.dependencies.length, 0));
    const width = await page.locator('svg#plan').evaluate((svg) => svg.getBoundingClientRect().width);
    expect(width).toBeLessThan(1700);
    const longName = page.locator('#phase-17');
    expect(await longName.locator('text.name').textContent()).toMatch(/…$/);
    expect(await longName.locator('title').textContent()).toContain('A phase with a very long name that cannot fit into its box 17');
    await page.screenshot({ path: shot('plan-view-200.png') });
  });

  describe('Gantt page', () => {
    const runs: Record<string, NxRun> = {};
    const pages: Record<string, string> = {};
    const keepPage = (name: string) => {
      pages[name] = readFileSync(workspace.path('.nx/nx-phases/last-run.html'), 'utf8');
      cpSync(workspace.path('.nx/nx-phases/last-run.html'), join(screenshots, `${name}.html`));
    };
    const rows = async (name: string) => {
      const { page, errors, blocked } = await loadPage(browser, pathToFileURL(join(screenshots, `${name}.html`)).href);
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
      return page;
    };

    beforeAll(() => {
      runs.sequential = workspace.runPhases(['--parallel=1', '--skip-nx-cache']);
      keepPage('gantt-parallel-1');
      // --skip-nx-cache neither reads nor writes the cache: this run misses it, runs every phase and fills it.
      runs.parallel = workspace.runPhases(['--parallel=3']);
      keepPage('gantt-parallel-3');
      runs.cached = workspace.runPhases(['--parallel=3']);
      keepPage('gantt-cached');
    });

    it('the summary reports average concurrency, and a speed-up against the measured --parallel=1 baseline', () => {
      withOutput(runs.parallel, () => {
        expect(runs.sequential.output).toContain('recorded as the sequential baseline for these 14 phases');
        expect(runs.parallel.output).toMatch(/average concurrency \d+\.\d\d/);
        expect(runs.parallel.output).toMatch(/speed-up \d+\.\d\d× against the measured sequential baseline: the --parallel=1 run of the same 14 phases at \S+ took/);
        expect(runs.cached.output).not.toContain('speed-up');
      });
    });

    it('draws one bar per phase on a time axis with the level, and marks the critical path', async () => {
      const page = await rows('gantt-parallel-3');
      const bars = page.locator('svg.gantt g.bar-group');
      expect(await bars.count()).toBe(plan.phases.length);
      expect(await page.locator('svg.gantt rect.bar.status-ran').count()).toBe(plan.phases.length);
      expect(await page.locator('svg.gantt g.bar-group.critical').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('svg.gantt text.critical-mark').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('svg.gantt text.level').first().textContent()).toBe('L1');
      expect(await page.locator('svg.gantt text.tick').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('table.metrics').textContent()).toContain('average concurrency (Σ / makespan)');
      expect(await page.locator('table.metrics').textContent()).toMatch(/speed-up\s*speed-up \d+\.\d\d× against the measured sequential baseline/);
      await page.screenshot({ path: shot('gantt-parallel-3.png'), fullPage: true });
    });

    it('--parallel=1 and --parallel=3 pages have the same rows in the same order', async () => {
      const order = async (name: string) => (await rows(name)).locator('svg.gantt g.bar-group').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-phase')));
      expect(await order('gantt-parallel-1')).toEqual(await order('gantt-parallel-3'));
      await (await rows('gantt-parallel-1')).screenshot({ path: shot('gantt-parallel-1.png'), fullPage: true });
    });

    it('colours cache hits apart from phases that ran', async () => {
      const cached = await rows('gantt-cached');
      expect(await cached.locator('svg.gantt rect.bar.status-cache-hit').count()).toBe(plan.phases.length);
      const ran = await rows('gantt-parallel-3');
      const colour = async (page: typeof ran, selector: string) => page.locator(selector).first().evaluate((bar) => bar.ownerDocument.defaultView!.getComputedStyle(bar).fill);
      expect(await colour(cached, 'rect.bar.status-cache-hit')).not.toBe(await colour(ran, 'rect.bar.status-ran'));
      await cached.screenshot({ path: shot('gantt-cached.png'), fullPage: true });
    });
  });

  it('nx graph recipe: `nx run shop:phase --graph` shows every phase task and its edges', async () => {
    const server = startGraphServer(workspace.root, workspace.home);
    try {
      const url = await server.url;
      const origin = new URL(url).origin;
      const { page, errors, blocked } = await loadPage(browser, url, [origin]);
      const response = await page.waitForResponse((r) => r.url().includes('task-graph.json'), { timeout: 60_000 });
      const graph = (await response.json()) as { taskGraph: { tasks: Record<string, unknown>; dependencies: Record<string, string[]> } };
      const phaseTasks = Object.keys(graph.taskGraph.tasks).filter((id) => /^shop-\d+-/.test(id));
      expect(phaseTasks).toHaveLength(plan.phases.length);
      expect(graph.taskGraph.dependencies['shop-9-reviews:phase']).toContain('shop-4-product-catalog:phase');
      expect(graph.taskGraph.dependencies['shop:phase']).toEqual(['shop-14-polish:phase']);
      await page.getByText('shop-9-reviews').first().waitFor({ timeout: 60_000 });
      expect(await page.locator('canvas').count()).toBeGreaterThan(0);
      await page.waitForTimeout(2000);
      await page.screenshot({ path: shot('nx-graph.png') });
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      server.stop();
    }
  });
});

/** `nx run shop:phase --graph` (a server on 127.0.0.1) with the browser opener disabled; resolves the URL it prints. */
function startGraphServer(root: string, home: string): { url: Promise<string>; stop(): void } {
  const nx = nxBin(root);
  const child: ChildProcess = spawn(process.execPath, [nx, 'run', 'shop:phase', '--graph'], {
    cwd: root,
    env: nxEnv({ HOME: home, BROWSER: 'true', DISPLAY: '' }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Project graph started at (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(output.replace(/\u001b\[[0-9;]*m/g, ''));
      if (match) resolveUrl(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`nx run shop:phase --graph exited (${code}) before serving:\n${output}`)));
  });
  return {
    url,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}
