import { doc, indent, jsxAttribute, jsxText, listText, literal, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { FOLDERS, PATHS, componentName } from '../conventions';
import { baseName, featureLabel, importPath, kebabCase } from '../names';
import { listBody, listState, tableState } from './feature';

/** src/admin/admin-dashboard.tsx: every admin tool present, behind sign-in when useAuth exists. */
export function adminDashboardTemplate(ctx: ScaffoldContext, path: string): string {
  const tools = ctx
    .list(FOLDERS.admin, '.tsx')
    .filter((file) => file !== PATHS.adminDashboard && ctx.exportsComponent(file, componentName(file)));
  const hasAuth = ctx.exports(PATHS.useAuth, 'useAuth');
  const hasLogin = ctx.exportsComponent(PATHS.loginPage, 'LoginPage');
  return source(
    doc(`Admin dashboard of ${ctx.planName} (${phaseLabel(ctx.phase)}): ${listText(ctx.phase.features, 'admin tools')}.`),
    hasAuth && `import { useAuth } from '${importPath(path, PATHS.useAuth)}';`,
    tools.map((file) => `import { ${componentName(file)} } from '${importPath(path, file)}';`),
    '',
    doc('The admin dashboard: one section per admin tool.'),
    'export function AdminDashboard() {',
    hasAuth && [
      '  const { user } = useAuth();',
      '  if (!user) {',
      '    return (',
      '      <section>',
      '        <h1>Admin</h1>',
      `        <p>${jsxText(`Sign in to manage ${ctx.planName}.`)}</p>`,
      hasLogin && '        <a href="#/login">Sign in</a>',
      '      </section>',
      '    );',
      '  }',
    ],
    '  return (',
    '    <section>',
    '      <h1>Admin</h1>',
    tools.length > 0
      ? tools.map((file) => `      <${componentName(file)} />`)
      : `      <p>${jsxText(`No admin tools yet: ${listText(ctx.phase.features, 'add some')}.`)}</p>`,
    '    </section>',
    '  );',
    '}',
  );
}

/** src/admin/<tool>.tsx: add/remove rows of one admin feature, stored in src/lib/db.ts when present. */
export function adminToolTemplate(ctx: ScaffoldContext, path: string): string {
  const feature = featureLabel(ctx.phase.features, baseName(path));
  const hasDb = ctx.exports(PATHS.db, 'createTable');
  return source(
    doc(`"${feature}" admin tool (${phaseLabel(ctx.phase)})${hasDb ? '; rows are stored in src/lib/db.ts' : ''}.`),
    "import { useState } from 'react';",
    hasDb && `import { createTable } from '${importPath(path, PATHS.db)}';`,
    '',
    hasDb && [
      `const table = createTable<{ id: string; label: string }>(${literal(`admin-${kebabCase(baseName(path))}`)});`,
      '',
    ],
    doc(`${feature}: add and remove rows.`),
    `export function ${componentName(path)}() {`,
    hasDb
      ? [...tableState('table'), "  const [draft, setDraft] = useState('');"]
      : listState(undefined),
    '  return (',
    `    <section aria-label=${jsxAttribute(feature)}>`,
    `      <h2>${jsxText(feature)}</h2>`,
    indent(3, listBody(feature)),
    '    </section>',
    '  );',
    '}',
  );
}
