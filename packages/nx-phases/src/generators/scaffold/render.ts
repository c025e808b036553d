import { posix } from 'node:path';
import type { ScaffoldContext } from './context';
import { FOLDERS, PATHS } from './conventions';
import { adminDashboardTemplate, adminToolTemplate } from './templates/admin';
import { apiClientTemplate, apiResourceTemplate } from './templates/api';
import { authContextTemplate, loginPageTemplate, useAuthTemplate } from './templates/auth';
import { dbTemplate, modelsTemplate, prismaTemplate } from './templates/database';
import { componentTemplate, hookTemplate, pageTemplate } from './templates/feature';
import {
  genericJsonTemplate,
  genericTsTemplate,
  genericTsxTemplate,
  htmlTemplate,
  markdownTemplate,
  textTemplate,
} from './templates/generic';
import { cssTemplate } from './templates/polish';
import { indexHtmlTemplate, mainTemplate, packageJsonTemplate, tsconfigTemplate } from './templates/setup';
import { appTemplate, routesTemplate } from './templates/shell';
import { isRouteRegistry } from './templates/registry-mode';
import { routeRegistryTemplate } from './templates/route-registry';
import { envExampleTemplate } from './templates/env';
import { testTemplate } from './templates/testing';

/** Renders the content of one planned file. */
export type Template = (ctx: ScaffoldContext, path: string) => string;

const inFolder = (folder: string, suffix: string) => (path: string) =>
  posix.dirname(path) === folder && path.endsWith(suffix);

/** Which template writes which path: the first matching rule wins, then the generic rule of the extension. */
const TEMPLATE_RULES: Array<[(path: string) => boolean, Template]> = [
  [(path) => posix.basename(path) === 'package.json', packageJsonTemplate],
  [(path) => path === 'tsconfig.json', tsconfigTemplate],
  [(path) => path === 'index.html', indexHtmlTemplate],
  [(path) => path === PATHS.main, mainTemplate],
  [(path) => path === PATHS.app, appTemplate],
  [(path) => path === PATHS.routes, (ctx, path) => (isRouteRegistry(ctx) ? routeRegistryTemplate(ctx, path) : routesTemplate(ctx, path))],
  [(path) => posix.basename(path) === '.env.example', envExampleTemplate],
  [(path) => path.endsWith('.prisma'), prismaTemplate],
  [(path) => path === PATHS.db, dbTemplate],
  [(path) => path === PATHS.models, modelsTemplate],
  [(path) => path === PATHS.authContext, authContextTemplate],
  [(path) => path === PATHS.useAuth, useAuthTemplate],
  [(path) => path === PATHS.loginPage, loginPageTemplate],
  [(path) => path === PATHS.apiClient, apiClientTemplate],
  [inFolder(FOLDERS.api, '.ts'), apiResourceTemplate],
  [inFolder(FOLDERS.components, '.tsx'), componentTemplate],
  [(path) => inFolder(FOLDERS.hooks, '.ts')(path) && /^use/.test(posix.basename(path)), hookTemplate],
  [inFolder(FOLDERS.pages, '.tsx'), pageTemplate],
  [(path) => path === PATHS.adminDashboard, adminDashboardTemplate],
  [inFolder(FOLDERS.admin, '.tsx'), adminToolTemplate],
  [(path) => path.endsWith('.css'), cssTemplate],
  [(path) => /^src\/tests\/.+\.test\.ts$/.test(path), testTemplate],
  [(path) => path.endsWith('.tsx'), genericTsxTemplate],
  [(path) => path.endsWith('.ts'), genericTsTemplate],
  [(path) => path.endsWith('.json'), genericJsonTemplate],
  [(path) => path.endsWith('.md'), markdownTemplate],
  [(path) => path.endsWith('.html'), htmlTemplate],
];

/** The content of `path` for the phase in `ctx`: its rule's template, else plain text. */
export function renderFile(ctx: ScaffoldContext, path: string): string {
  const rule = TEMPLATE_RULES.find(([matches]) => matches(path));
  return rule ? rule[1](ctx, path) : textTemplate(ctx);
}
