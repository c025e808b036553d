import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Phase } from '../../plan/types';
import { FsTree } from '../../runtime/nx-tree';
import { createScaffoldContext, type ScaffoldContext } from './context';
import { baseName, featureLabel, importPath, kebabCase, pascalIdentifier, titleCase } from './names';
import { renderFile } from './render';
import { entityName, modelsOf } from './templates/database';
import { formFields } from './templates/feature';
import { phase } from './test-utils/shop-plan';
import { tempFolders } from './test-utils/temp-app';

const folders = tempFolders('scaffold-templates');
afterAll(() => folders.cleanup());

/** A context over a real folder holding `files`, for a phase planning `plannedFiles`. */
function contextFor(target: Phase, files: Record<string, string> = {}): ScaffoldContext {
  const root = folders.create();
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
  return createScaffoldContext(new FsTree(root, false), 'Shop', target);
}

describe('names', () => {
  it('derives identifiers, file names and titles', () => {
    expect(pascalIdentifier('shopping-cart')).toBe('ShoppingCart');
    expect(pascalIdentifier('AuthContext')).toBe('AuthContext');
    expect(pascalIdentifier('3d-viewer')).toBe('Feature3dViewer');
    expect(kebabCase('Shopping Cart & Checkout')).toBe('shopping-cart-checkout');
    expect(titleCase('contact-form')).toBe('Contact Form');
    expect(baseName('src/tests/cart.test.ts')).toBe('cart.test');
    expect(featureLabel(['Contact form'], 'contact-form')).toBe('Contact form');
    expect(featureLabel([], 'contact-form')).toBe('Contact Form');
  });

  it('computes relative import specifiers without extensions', () => {
    expect(importPath('src/pages/login.tsx', 'src/auth/useAuth.ts')).toBe('../auth/useAuth');
    expect(importPath('src/App.tsx', 'src/routes.tsx')).toBe('./routes');
    expect(importPath('src/tests/a.test.ts', 'src/lib/db.ts')).toBe('../lib/db');
    expect(importPath('src/App.tsx', 'src/styles/global.css')).toBe('./styles/global.css');
  });

  it('finds entities and form fields by keyword', () => {
    expect(['User model', 'Products', 'Seed data', 'Prisma schema', 'Address'].map(entityName)).toEqual([
      'User',
      'Product',
      undefined,
      undefined,
      'Address',
    ]);
    expect(modelsOf(['Orders', 'Order model']).map((model) => model.name)).toEqual(['Order']);
    expect(formFields('Contact form')).toEqual(['name', 'email', 'message']);
    expect(formFields('Survey form')).toEqual(['name', 'email']);
  });
});

// Inline snapshots kept on purpose: each is a small file the scaffold writes into the user's app, so its exact text is
// the product, and a change to it should show up in review as a diff of that text.
describe('templates', () => {
  const setup = phase({ number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['tsconfig.json', 'index.html'] });

  it('tsconfig.json', () => {
    expect(renderFile(contextFor(setup), 'tsconfig.json')).toMatchInlineSnapshot(`
"{
  "compilerOptions": {
    "target": "ES2022",
    "lib": [
      "ES2022",
      "DOM",
      "DOM.Iterable"
    ],
    "module": "ESNext",
    "moduleResolution": "bundler",
    "jsx": "react-jsx",
    "strict": true,
    "noEmit": true,
    "isolatedModules": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "forceConsistentCasingInFileNames": true,
    "types": []
  },
  "include": [
    "src"
  ]
}
"
`);
  });

  it('useAuth.ts next to an AuthContext', () => {
    const auth = phase({ number: 3, name: 'Auth', domain: 'auth', features: ['Login'], plannedFiles: ['src/auth/useAuth.ts'] });
    const ctx = contextFor(auth, { 'src/auth/AuthContext.tsx': 'export const AuthContext = 1;\n' });
    expect(renderFile(ctx, 'src/auth/useAuth.ts')).toMatchInlineSnapshot(`
"/** The session hook of Shop (phase 3 "Auth"). */
import { useContext } from 'react';
import { AuthContext, type AuthState } from './AuthContext';

const signedOut: AuthState = {
  user: null,
  signIn: () => Promise.reject(new Error('Sign-in needs <AuthProvider> around the app: wrap the shell in src/App.tsx with it.')),
  signOut: () => undefined,
};

/** The session from <AuthProvider>; a signed-out session when the app is not wrapped in one. */
export function useAuth(): AuthState {
  return useContext(AuthContext) ?? signedOut;
}
"
`);
  });

  it('a page rendering the components of its phase', () => {
    const catalog = phase({
      number: 5,
      name: 'Product Catalog',
      domain: 'feature',
      description: 'Browse <all> products.',
      features: ['Product catalog', 'Wishlist'],
      plannedFiles: ['src/components/product-catalog.tsx', 'src/pages/product-catalog.tsx'],
    });
    expect(renderFile(contextFor(catalog), 'src/pages/product-catalog.tsx')).toMatchInlineSnapshot(`
"/** The "Product Catalog" page (phase 5 "Product Catalog"): Product catalog and Wishlist. */
import { ProductCatalog } from '../components/product-catalog';

/** Product Catalog page. */
export function ProductCatalogPage() {
  return (
    <section>
      <h1>Product Catalog</h1>
      <p>{'Browse <all> products.'}</p>
      <ProductCatalog />
    </section>
  );
}
"
`);
  });

  it('global.css with the rules its features ask for', () => {
    const polish = phase({ number: 9, name: 'Polish', domain: 'polish', features: ['Accessibility'], plannedFiles: ['src/styles/global.css'] });
    expect(renderFile(contextFor(polish), 'src/styles/global.css')).toContain(':focus-visible {\n  outline: 3px solid var(--accent);');
  });

  it('generic files by extension', () => {
    const docs = phase({
      number: 7,
      name: 'Docs',
      domain: 'docs',
      description: 'How to run it.',
      features: ['Setup guide'],
      plannedFiles: ['docs/guide.md', 'data/seed.json', 'NOTICE', 'src/widgets/status-badge.tsx', 'src/env.d.ts'],
    });
    const ctx = contextFor(docs);
    expect(renderFile(ctx, 'docs/guide.md')).toMatchInlineSnapshot(`
"# Guide

Written by phase 7 "Docs" of Shop.

How to run it.

## Features

- Setup guide
"
`);
    expect(renderFile(ctx, 'data/seed.json')).toMatchInlineSnapshot(`
"{
  "name": "Docs",
  "phase": 7,
  "features": [
    "Setup guide"
  ]
}
"
`);
    expect(renderFile(ctx, 'NOTICE')).toMatchInlineSnapshot(`
"Shop: phase 7 "Docs"
Features: Setup guide
"
`);
    expect(renderFile(ctx, 'src/widgets/status-badge.tsx')).toContain('export function StatusBadge() {');
    expect(renderFile(ctx, 'src/env.d.ts')).toBe('/** Declarations of phase 7 "Docs". */\nexport {};\n');
  });
});

describe('templates for mergeable wiring files (the plan merges them: phases only add)', () => {
  const merged = (target: Phase, files: Record<string, string> = {}) => {
    const root = folders.create();
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), content);
    }
    const merge = { 'package.json': 'json', '.env.example': 'lines', 'src/routes.tsx': 'regions' } as const;
    return createScaffoldContext(new FsTree(root, false), 'shop', target, Object.fromEntries(target.plannedFiles.filter((f) => f in merge).map((f) => [f, merge[f as keyof typeof merge]])));
  };
  const setup = phase({ number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['package.json', '.env.example', 'src/routes.tsx'] });
  const checkout = phase({ number: 7, name: 'Checkout', domain: 'feature', features: ['Checkout form'], plannedFiles: ['package.json', '.env.example', 'src/routes.tsx', 'src/pages/checkout.tsx'] });

  it('package.json: the creating phase writes the manifest, a contributor only adds its dependencies', () => {
    const created = renderFile(merged(setup), 'package.json');
    expect(JSON.parse(created).dependencies).toEqual({ react: '^19.0.0', 'react-dom': '^19.0.0' });
    const added = JSON.parse(renderFile(merged(checkout, { 'package.json': created }), 'package.json'));
    expect(added).toEqual({ ...JSON.parse(created), dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0', '@stripe/stripe-js': '^5.0.0', zod: '^3.23.0' } });
  });

  it('.env.example: a header and the phase\'s variables; a contributor keeps every line and adds only unset variables', () => {
    const created = renderFile(merged(setup), '.env.example');
    expect(created).toBe('# Environment variables of shop: copy this file to .env and fill in the values.\nPORT=5173\n');
    expect(renderFile(merged(checkout, { '.env.example': `${created}STRIPE_PUBLISHABLE_KEY=set-by-someone\n` }), '.env.example')).toBe(`${created}STRIPE_PUBLISHABLE_KEY=set-by-someone\n`);
    expect(renderFile(merged(checkout, { '.env.example': created }), '.env.example')).toBe(`${created}STRIPE_PUBLISHABLE_KEY=pk_test_change_me\n`);
  });

  it('src/routes.tsx: the creator writes a registry with empty regions; a page phase registers its import, route and link', () => {
    const created = renderFile(merged(setup), 'src/routes.tsx');
    for (const region of ['imports', 'routes', 'navigation']) expect(created).toContain(`nx-phases:region ${region}\n`);
    expect(created).toContain('export const navigation: NavEntry[] = [');
    const registered = renderFile(merged(checkout, { 'src/routes.tsx': created }), 'src/routes.tsx');
    expect(registered).toBe(
      created
        .replace('// nx-phases:end imports', "import { CheckoutPage } from './pages/checkout';\n// nx-phases:end imports")
        .replace('  // nx-phases:end routes', "  { path: '/checkout', title: 'Checkout', render: () => <CheckoutPage /> },\n  // nx-phases:end routes")
        .replace('  // nx-phases:end navigation', "  { to: '/checkout', label: 'Checkout' },\n  // nx-phases:end navigation"),
    );
  });

  it('src/routes.tsx: a contributor whose snapshot has no registry regions fails with the fix', () => {
    expect(() => renderFile(merged(checkout, { 'src/routes.tsx': 'export const routes = [];\n' }), 'src/routes.tsx')).toThrow(
      'src/routes.tsx in the snapshot has no "nx-phases:region routes" marker, so phase 7 "Checkout" cannot register its pages.',
    );
  });

  it('src/App.tsx over a registry renders the registered navigation and imports no page', () => {
    const registry = renderFile(merged(setup), 'src/routes.tsx');
    const polish = phase({ number: 14, name: 'Polish', domain: 'polish', plannedFiles: ['src/App.tsx'] });
    const app = renderFile(merged(polish, { 'src/routes.tsx': registry, 'src/pages/checkout.tsx': 'export function CheckoutPage() { return null; }\n' }), 'src/App.tsx');
    expect(app).toContain("import { findRoute, navigation, RouteLink, routes, useHashPath, type AppRoute, type NavEntry } from './routes';");
    expect(app).toContain('{shellNavigation.map((entry) => (');
    expect(app).toContain("import { CheckoutPage } from './pages/checkout';");
  });
});
