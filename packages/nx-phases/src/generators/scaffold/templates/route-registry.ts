import { parseRegions, regionsOf, renderRegions } from '../../../plan';
import { doc, literal, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { routerLines } from './router';
import { homePageLines, importLines, routedPages, routeEntry, type PageRoute } from './shell';
import { REGISTRY_REGIONS as REGIONS } from './registry-mode';

/**
 * src/routes.tsx as a registry: the phase that creates it writes the hash router, the home page and three empty
 * regions (plus its own pages); every later phase only adds the lines of the pages it plans to the regions.
 */
export function routeRegistryTemplate(ctx: ScaffoldContext, path: string): string {
  const existing = ctx.read(path);
  return existing === undefined ? registrySkeleton(ctx, path, phasePages(ctx, [])) : registerPages(ctx, path, existing);
}

function registrySkeleton(ctx: ScaffoldContext, path: string, pages: PageRoute[]): string {
  return source(
    doc(`Hash routes of ${ctx.planName} (${phaseLabel(ctx.phase)}): every phase that adds a page registers its route and navigation link in the regions below.`),
    "import { useEffect, useState, type ReactNode } from 'react';",
    `// nx-phases:region ${REGIONS.imports}`,
    importLines(path, pages),
    `// nx-phases:end ${REGIONS.imports}`,
    '',
    routerLines(true),
    '',
    doc('One navigation link: a hash path and its label.'),
    'export interface NavEntry {',
    '  to: string;',
    '  label: string;',
    '}',
    '',
    homePageLines(ctx, true),
    '',
    doc('Every route: the home page, then one per registered page.'),
    'export const routes: AppRoute[] = [',
    "  { path: '/', title: 'Home', render: () => <HomePage /> },",
    `  // nx-phases:region ${REGIONS.routes}`,
    pages.map(routeEntry),
    `  // nx-phases:end ${REGIONS.routes}`,
    '];',
    '',
    doc('The navigation links, in the order the phases registered them.'),
    'export const navigation: NavEntry[] = [',
    "  { to: '/', label: 'Home' },",
    `  // nx-phases:region ${REGIONS.navigation}`,
    pages.map(navigationEntry),
    `  // nx-phases:end ${REGIONS.navigation}`,
    '];',
  );
}

/** The registry in the snapshot with this phase's pages added to its regions (lines already there are kept once). */
function registerPages(ctx: ScaffoldContext, path: string, existing: string): string {
  const document = parseRegions(existing);
  const regions = new Map(regionsOf(document).map((region) => [region.name, region]));
  const region = (name: string) => {
    const found = regions.get(name);
    if (!found) {
      throw new Error(
        `${path} in the snapshot has no "nx-phases:region ${name}" marker, so ${phaseLabel(ctx.phase)} cannot register its pages. ` +
          `Let the phase that creates ${path} write the route registry (it does when the plan merges ${path} as "regions").`,
      );
    }
    return found;
  };
  const taken = region(REGIONS.routes).lines.flatMap((line) => /path: '([^']*)'/.exec(line)?.[1] ?? []);
  const pages = phasePages(ctx, taken);
  const add = (name: string, lines: string[]) => region(name).lines.push(...lines.filter((line) => !region(name).lines.includes(line)));
  add(REGIONS.imports, importLines(path, pages));
  add(REGIONS.routes, pages.map(routeEntry));
  add(REGIONS.navigation, pages.map(navigationEntry));
  return renderRegions(document);
}

/** The pages this phase plans (src/pages/*.tsx, the admin dashboard), on hash paths not `taken` by registered pages. */
function phasePages(ctx: ScaffoldContext, taken: string[]): PageRoute[] {
  const used = new Set(['/', ...taken]);
  return routedPages(ctx)
    .filter((page) => ctx.isPlanned(page.file))
    .map((page) => {
      let hashPath = page.path;
      while (used.has(hashPath)) hashPath = `${hashPath}-more`;
      used.add(hashPath);
      return { ...page, path: hashPath };
    });
}

/** One line of the navigation list: `  { to: '/cart', label: 'Cart' },`. */
function navigationEntry(page: PageRoute): string {
  return `  { to: ${literal(page.path)}, label: ${literal(page.title)} },`;
}
