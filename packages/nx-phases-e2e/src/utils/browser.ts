import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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
