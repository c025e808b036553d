import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appStateWithoutTimings } from './utils/app-state';
import { nxBin, type NxRun } from './utils/e2e-workspace';
import type { Page } from 'playwright-core';
import { mulberry32 } from '../../nx-phases/src/plan/test-utils/prng';
import { randomPlanDocument } from '../../nx-phases/src/plan/test-utils/random-plan';
import { edgesThroughBoxes } from '../../nx-phases/src/report/test-utils/plan-geometry';
import { openBrowser, loadPage, pageScrollWidth, readRenderedPlan, type Browser } from './utils/browser';
import { nxEnv } from './utils/nx-env';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

const DEMO = resolve(__dirname, '..', '..', 'demo-shop');
/** `tools/screenshots/generate.sh` sets this to the README's image folder: the screenshots are copied there. */
const README_IMAGES = process.env.NX_PHASES_README_IMAGES;
const README_PICTURES: Record<string, string> = { 'plan-view.png': 'plan-view.png', 'gantt-parallel-3.png': 'run-gantt.png', 'nx-graph.png': 'nx-graph-recipe.png' };

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
  let browser: Browser;
  const fileUrl = (...parts: string[]) => pathToFileURL(workspace.path(...parts)).href;
  const shot = (name: string) => join(screenshots, name);
  /** Writes a second plan, renders its page with the real executor, removes the plan (the runs below must see only the demo) and opens the page. */
  const planPage = async (name: string, document: PlanDocument): Promise<Page> => {
    writePlan(workspace.root, `apps/${name}`, document);
    try {
      workspace.nx(['run', `${name}:phase-plan`, '--format=html']);
    } finally {
      if (existsSync(workspace.path(`apps/${name}/phase-plan.html`))) cpSync(workspace.path(`apps/${name}/phase-plan.html`), join(screenshots, `plan-view-${name}.html`));
      rmSync(workspace.path(`apps/${name}`), { recursive: true, force: true });
    }
    const { page, errors, blocked } = await loadPage(browser, pathToFileURL(join(screenshots, `plan-view-${name}.html`)).href);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    return page;
  };

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

  /** The demo's drawn edges (`to` runs after `from`): the transitive reduction of the conflict-resolved plan. */
  const DEMO_EDGES = ['1->2', '1->3', '1->11', '2->4', '2->5', '2->6', '2->10', '2->12', '3->7', '3->8', '3->9', '3->10', '4->9', '4->13', '5->14', '6->7', '7->13', '8->14', '9->14', '10->14', '11->14', '12->13', '13->14'];
  const drawnEdges = (page: Page) => page.locator('svg#plan g.edge').evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-from')}->${g.getAttribute('data-to')}`));
  const sorted = (items: string[]) => [...items].sort();

  it('plan view: named boxes, only direct edges drawn, none through a box, the conflict fix dashed with its reason, the demo within 1,400 px', async () => {
    workspace.nx(['run', 'shop:phase-plan', '--format=json']);
    const report = JSON.parse(readFileSync(workspace.path('apps/shop/phase-plan.json'), 'utf8')) as { addedEdges: Array<{ from: number; to: number; reason: string }> };
    expect(report.addedEdges.map(({ from, to }) => [from, to])).toEqual([[4, 9]]);
    workspace.nx(['run', 'shop:phase-plan', '--format=html']);
    const { page, errors, blocked } = await loadPage(browser, fileUrl('apps/shop/phase-plan.html'));
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    const names = await page.locator('svg#plan g.phase').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-phase'), g.getAttribute('data-level'), g.querySelector('text.name')!.textContent]));
    expect(names).toEqual(plan.phases.map((phase) => [String(phase.number), expect.any(String), expect.stringMatching(new RegExp(`^${phase.number}\\. ${phase.name.slice(0, 8)}`))]));
    const levelOf = Object.fromEntries(names.map(([n, level]) => [n, Number(level)]));
    expect([levelOf['1'], levelOf['3'], levelOf['5'], levelOf['7'], levelOf['9'], levelOf['13'], levelOf['14']]).toEqual([1, 2, 3, 4, 4, 5, 6]);
    expect(sorted(await drawnEdges(page))).toEqual(sorted(DEMO_EDGES));
    expect(await page.locator('tr.implied').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)))).toEqual([['9. Reviews', '2. Database', '4. Product Catalog']]);
    const fix = page.locator('svg#plan g.edge.conflict-fix');
    expect(await fix.evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-from')}->${g.getAttribute('data-to')}`))).toEqual(['4->9']);
    expect(await fix.locator('title').textContent()).toBe(report.addedEdges[0].reason);
    expect(report.addedEdges[0].reason).toContain('src/components/star-rating.tsx');
    expect(await fix.locator('path.line').evaluate((line) => line.ownerDocument.defaultView!.getComputedStyle(line).strokeDasharray)).not.toBe('none');
    const critical = await page.locator('svg#plan g.phase.critical').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-phase'))));
    expect(critical).toEqual([1, 2, 6, 7, 13, 14]);
    expect(sorted(await page.locator('svg#plan g.edge.critical').evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-from')}->${g.getAttribute('data-to')}`)))).toEqual(sorted(['1->2', '2->6', '6->7', '7->13', '13->14']));
    expect(await page.getByText('critical path (by phase count)').isVisible()).toBe(true);
    const rendered = await readRenderedPlan(page);
    expect(rendered.boxes).toHaveLength(plan.phases.length);
    expect(rendered.edges.map((edge) => edge.points.length).every((n) => n >= 2)).toBe(true);
    expect(edgesThroughBoxes(rendered.boxes, rendered.edges)).toEqual([]);
    // The browser opened at 1,400 px: nothing scrolls sideways, and the drawing is not scaled down to get there.
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(1400);
    expect(rendered.renderedWidth).toBe(rendered.declaredWidth);
    await page.screenshot({ path: shot('plan-view.png'), fullPage: true });
  });

  it('plan view of a random 50-phase plan: no edge crosses a box it does not connect', async () => {
    const page = await planPage('random', { ...randomPlanDocument(mulberry32(50), 50), name: 'random' });
    const rendered = await readRenderedPlan(page);
    expect(rendered.boxes.filter((box) => box.width > 100)).toHaveLength(50);
    expect(rendered.edges.length).toBeGreaterThan(40);
    expect(edgesThroughBoxes(rendered.boxes, rendered.edges)).toEqual([]);
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(1400);
  });

  it('plan view stays usable at 200 phases: bounded width, levels wrap into bands, no edge through a box, long names cut with a tooltip', async () => {
    const phases = Array.from({ length: 200 }, (_, i) => {
      const number = i + 1;
      const dependencies = number === 1 ? [] : [...new Set([Math.max(1, number - 1 - ((number * 7) % 15)), ...(number % 3 === 0 ? [Math.max(1, number - 20)] : [])])];
      const name = number % 17 === 0 ? `A phase with a very long name that cannot fit into its box ${number}` : `Phase ${number}`;
      return { number, name, features: ['List', 'Details'], dependencies, plannedFiles: [`src/p${number}.ts`] };
    });
    const page = await planPage('big', { name: 'big', phases });
    const rendered = await readRenderedPlan(page);
    expect(rendered.boxes.filter((box) => box.width > 100)).toHaveLength(200);
    expect(rendered.boxes.filter((box) => box.width < 100).length).toBeGreaterThan(0);
    expect(edgesThroughBoxes(rendered.boxes, rendered.edges)).toEqual([]);
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(1400);
    expect(rendered.renderedWidth).toBe(rendered.declaredWidth);
    const longName = page.locator('#phase-17');
    expect(await longName.locator('text.name').textContent()).toMatch(/^17\. A phase with.*…$/);
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

    /** The demo app after each schedule (manifests without timing fields) and each run's check figures. */
    const apps: Record<string, Record<string, string>> = {};
    const checks: Record<string, unknown> = {};
    const keepApp = (name: string) => {
      apps[name] = appStateWithoutTimings(workspace.path('apps/shop'));
      checks[name] = JSON.parse(readFileSync(workspace.path('.nx/nx-phases/last-run.json'), 'utf8')).plans[0].checks;
    };

    /** From scratch: only the plan and its shared context stay (earlier tests also rendered plan views into the folder). */
    const clearApp = () => {
      for (const entry of readdirSync(workspace.path('apps/shop')).filter((name) => name !== 'phases.json' && name !== 'docs')) {
        rmSync(workspace.path('apps/shop', entry), { recursive: true, force: true });
      }
    };

    beforeAll(() => {
      clearApp();
      runs.sequential = workspace.runPhases(['--parallel=1', '--skip-nx-cache']);
      keepPage('gantt-parallel-1');
      keepApp('sequential');
      clearApp();
      // --skip-nx-cache neither reads nor writes the cache: this run misses it, runs every phase and fills it.
      runs.parallel = workspace.runPhases(['--parallel=3']);
      keepPage('gantt-parallel-3');
      keepApp('parallel');
      runs.cached = workspace.runPhases(['--parallel=3']);
      keepPage('gantt-cached');
    });

    it('the demo with its type-check passes in both schedules (every phase first time, in its own snapshot), with byte-identical app files', () => {
      const allFirstTime = { checked: 14, firstPass: 14, repaired: 0, failed: 0, attempts: 14, firstPassRate: 1, retryRate: 0 };
      expect(checks).toEqual({ sequential: allFirstTime, parallel: allFirstTime });
      expect(JSON.parse(apps.parallel['.phases/9/manifest.json']).checks).toEqual([{ attempt: 1, passed: true, diagnostics: 0 }]);
      expect(Object.keys(apps.parallel)).toEqual(expect.arrayContaining(['src/App.tsx', 'src/routes.tsx', 'package.json', 'tsconfig.json']));
      expect(apps.parallel).toEqual(apps.sequential);
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
