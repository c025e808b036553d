import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { DrawnBox, DrawnEdge } from '../../../nx-phases/src/report/test-utils/plan-geometry';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). Never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, headless Chromium as root. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile; `close()` ends it and removes the profile. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** What a page did while loading: its console errors and uncaught exceptions, and the requests it tried. */
export interface LoadedPage {
  page: Page;
  errors: string[];
  requests: string[];
  /** Requests refused because they left the allowed origins. */
  blocked: string[];
}

/** Starts Debian's Chromium headless with a fresh `--user-data-dir`; throws with the fix when it is not installed. */
export async function openBrowser(viewport = { width: 1400, height: 900 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing. Fix: apt-get install -y chromium (.ci/run does this).`);
  const profile = mkdtempSync(join(tmpdir(), 'nx-phases-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` with every request outside `allowedOrigins` (file: pages always allowed) refused, and records
 * console errors and page errors. Waits for the load event.
 */
export async function loadPage(browser: Browser, url: string, allowedOrigins: string[] = []): Promise<LoadedPage> {
  const page = await browser.context.newPage();
  const loaded: LoadedPage = { page, errors: [], requests: [], blocked: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') loaded.errors.push(message.text());
  });
  page.on('pageerror', (error) => loaded.errors.push(error.message));
  await page.route('**/*', async (route) => {
    const requested = route.request().url();
    loaded.requests.push(requested);
    const allowed = requested.startsWith('file:') || requested.startsWith('data:') || allowedOrigins.some((origin) => requested.startsWith(origin));
    if (allowed) await route.continue();
    else {
      loaded.blocked.push(requested);
      await route.abort();
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  return loaded;
}

/** The plan page's boxes and edges as the browser rendered them, in page pixels (see `readRenderedPlan`). */
export interface RenderedPlan {
  boxes: DrawnBox[];
  edges: DrawnEdge[];
  /** The SVG's rendered width and its declared width (equal when the drawing is not scaled down). */
  renderedWidth: number;
  declaredWidth: number;
}

/**
 * Reads the rendered geometry of `phase-plan.html`: every phase box and "from N" stub (its bounding client rect),
 * and every edge line sampled every 2 px along the path the browser draws (`getPointAtLength`, mapped to the page
 * by the path's screen matrix), so the check sees what a person sees, whatever the path syntax.
 */
export async function readRenderedPlan(page: Page): Promise<RenderedPlan> {
  return page.locator('svg#plan').evaluate((svg) => {
    const boxes = [...svg.querySelectorAll('g.phase, g.stub')].map((g) => {
      const rect = g.querySelector('rect.box')!.getBoundingClientRect();
      return { phase: Number(g.getAttribute('data-phase')), x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    });
    type Matrix = { a: number; b: number; c: number; d: number; e: number; f: number };
    type PathLine = { getScreenCTM(): Matrix; getTotalLength(): number; getPointAtLength(at: number): { x: number; y: number } };
    const edges = [...svg.querySelectorAll('g.edge')].map((g) => {
      const path = g.querySelector('path.line') as unknown as PathLine;
      const matrix = path.getScreenCTM();
      const length = path.getTotalLength();
      const steps = Math.max(1, Math.ceil(length / 2));
      const points = Array.from({ length: steps + 1 }, (_, i) => {
        const p = path.getPointAtLength((length * i) / steps);
        return { x: matrix.a * p.x + matrix.c * p.y + matrix.e, y: matrix.b * p.x + matrix.d * p.y + matrix.f };
      });
      return { from: Number(g.getAttribute('data-from')), to: Number(g.getAttribute('data-to')), points };
    });
    return { boxes, edges, renderedWidth: svg.getBoundingClientRect().width, declaredWidth: Number(svg.getAttribute('width')) };
  });
}

/** How wide the page's content is, in CSS pixels (more than the viewport when it scrolls sideways). */
export async function pageScrollWidth(page: Page): Promise<number> {
  return page.locator('body').evaluate((body) => body.ownerDocument.documentElement.scrollWidth);
}
