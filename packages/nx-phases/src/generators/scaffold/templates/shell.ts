import { doc, indent, jsxText, literal, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { FOLDERS, PATHS, componentName, pageName } from '../conventions';
import { phaseComponents } from './feature';
import { baseName, importPath, kebabCase, sortStrings, titleCase } from '../names';
import { routerLines } from './router';
import { isRouteRegistry } from './registry-mode';

/** A page the shell can route to. */
export interface PageRoute {
  file: string;
  exportName: string;
  path: string;
  title: string;
}

const ROUTES_EXPORTS = ['AppRoute', 'RouteLink', 'findRoute', 'routes', 'useHashPath'];

/** Every page present (src/pages/*.tsx and the admin dashboard) that exports its prop-less component. */
export function routedPages(ctx: ScaffoldContext): PageRoute[] {
  const pages = ctx
    .list(FOLDERS.pages, '.tsx')
    .map((file) => ({ file, exportName: pageName(file), path: `/${kebabCase(baseName(file))}`, title: titleCase(baseName(file)) }))
    .filter((page) => ctx.exportsComponent(page.file, page.exportName));
  if (ctx.exportsComponent(PATHS.adminDashboard, 'AdminDashboard')) {
    pages.push({ file: PATHS.adminDashboard, exportName: 'AdminDashboard', path: freePath(pages, '/admin'), title: 'Admin' });
  }
  return pages.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** src/routes.tsx: the hash router plus a route table with the home page and every page present. */
export function routesTemplate(ctx: ScaffoldContext, path: string): string {
  const pages = routedPages(ctx);
  return source(
    doc(`Hash routes of ${ctx.planName} (${phaseLabel(ctx.phase)}): every page present when this table was generated.`),
    "import { useEffect, useState, type ReactNode } from 'react';",
    importLines(path, pages),
    '',
    routerLines(true),
    '',
    homePageLines(ctx, true),
    '',
    doc('Every route: the home page first, then one per page.'),
    'export const routes: AppRoute[] = [',
    "  { path: '/', title: 'Home', render: () => <HomePage /> },",
    pages.map(routeEntry),
    '];',
  );
}

/** src/App.tsx: the shell that wires every page present into navigation (rewritten by Polish). */
export function appTemplate(ctx: ScaffoldContext, path: string): string {
  const useRoutesModule = ROUTES_EXPORTS.every((name) => ctx.exports(PATHS.routes, name));
  const registry = useRoutesModule && isRouteRegistry(ctx);
  const allPages = routedPages(ctx);
  const pages = allPages.filter((page) => !useRoutesModule || !isRoutedByRoutesModule(ctx, page));
  const orphans = unroutedComponents(ctx, allPages);
  const withAuth = ctx.exports(PATHS.authContext, 'AuthProvider');
  const wrapper = withAuth ? 'AuthProvider' : '';
  const imports = sortStrings([
    ...(withAuth ? [`import { AuthProvider } from '${importPath(path, PATHS.authContext)}';`] : []),
    ...(useRoutesModule
      ? [`import { findRoute, ${registry ? 'navigation, ' : ''}RouteLink, routes, useHashPath, type AppRoute${registry ? ', type NavEntry' : ''} } from '${importPath(path, PATHS.routes)}';`]
      : ["import { useEffect, useState, type ReactNode } from 'react';"]),
  ]);
  return source(
    doc(`App shell of ${ctx.planName} (${phaseLabel(ctx.phase)}): navigation plus the page of the current hash route.`),
    ctx.has(PATHS.globalCss) && `import '${importPath(path, PATHS.globalCss)}';`,
    sortStrings([...imports, ...importLines(path, pages), ...orphans.map((file) => componentImport(path, file))]),
    '',
    !useRoutesModule && [...routerLines(false), '', ...homePageLines(ctx, false), ''],
    doc(useRoutesModule ? 'The routes of ./routes plus the pages added after it was generated.' : 'Every route of the app.'),
    'const shellRoutes: AppRoute[] = [',
    useRoutesModule ? '  ...routes,' : "  { path: '/', title: 'Home', render: () => <HomePage /> },",
    pages.map(routeEntry),
    orphans.length > 0 && [
      `  { path: ${literal(freePath(allPages, '/components'))}, title: 'Components', render: () => (`,
      '    <>',
      ...orphans.map((file) => `      <${componentName(file)} />`),
      '    </>',
      '  ) },',
    ],
    '];',
    '',
    registry && [
      doc('The navigation links every phase registered in ./routes, plus the pages added here.'),
      'const shellNavigation: NavEntry[] = [',
      '  ...navigation,',
      '  ...shellRoutes.slice(routes.length).map((route) => ({ to: route.path, label: route.title })),',
      '];',
      '',
    ],
    doc(`The ${ctx.planName} app.`),
    'export function App() {',
    '  const path = useHashPath();',
    '  const route = findRoute(shellRoutes, path) ?? shellRoutes[0];',
    '  return (',
    `    <${wrapper}>`,
    '      <header>',
    '        <nav>',
    registry
      ? [
          '          {shellNavigation.map((entry) => (',
          '            <RouteLink key={entry.to} to={entry.to}>',
          '              {entry.label}',
          '            </RouteLink>',
          '          ))}',
        ]
      : [
          '          {shellRoutes.map((entry) => (',
          '            <RouteLink key={entry.path} to={entry.path}>',
          '              {entry.title}',
          '            </RouteLink>',
          '          ))}',
        ],
    '        </nav>',
    '      </header>',
    '      <main>{route.render()}</main>',
    `      <footer>${jsxText(ctx.planName)}</footer>`,
    `    </${wrapper}>`,
    '  );',
    '}',
  );
}

/** Components present that no page renders ("orphans"), which the shell shows on a page of their own. */
function unroutedComponents(ctx: ScaffoldContext, pages: readonly PageRoute[]): string[] {
  const rendered = (page: PageRoute, file: string) =>
    ctx.isPlanned(page.file)
      ? page.file !== PATHS.adminDashboard && phaseComponents(ctx).includes(file)
      : (ctx.read(page.file) ?? '').includes(`'${importPath(page.file, file)}'`);
  return ctx
    .list(FOLDERS.components, '.tsx')
    .filter((file) => ctx.exportsComponent(file, componentName(file)) && !pages.some((page) => rendered(page, file)));
}

function freePath(pages: readonly PageRoute[], preferred: string): string {
  let path = preferred;
  while (pages.some((page) => page.path === path)) path = `${path}-more`;
  return path;
}

function isRoutedByRoutesModule(ctx: ScaffoldContext, page: PageRoute): boolean {
  if (ctx.isPlanned(PATHS.routes)) return true;
  return (ctx.read(PATHS.routes) ?? '').includes(`'${importPath(PATHS.routes, page.file)}'`);
}

function componentImport(from: string, file: string): string {
  return `import { ${componentName(file)} } from '${importPath(from, file)}';`;
}

/** `import { CartPage } from './pages/cart';` per page. */
export function importLines(from: string, pages: readonly PageRoute[]): string[] {
  return pages.map((page) => `import { ${page.exportName} } from '${importPath(from, page.file)}';`);
}

/** One line of the route table: `  { path: '/cart', title: 'Cart', render: () => <CartPage /> },`. */
export function routeEntry(page: PageRoute): string {
  return `  { path: ${literal(page.path)}, title: ${literal(page.title)}, render: () => <${page.exportName} /> },`;
}

/** The home page component at "#/". */
export function homePageLines(ctx: ScaffoldContext, exported: boolean): string[] {
  return [
    doc('The home page at "#/".'),
    `${exported ? 'export ' : ''}function HomePage() {`,
    '  return (',
    '    <section>',
    ...indent(3, [`<h1>${jsxText(ctx.planName)}</h1>`, '<p>Pick a page in the navigation above.</p>']),
    '    </section>',
    '  );',
    '}',
  ];
}
