import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { FsTree } from '../../runtime/nx-tree';
import scaffoldGenerator from './generator';
import { SHOP_PHASES, optionsFor, phase, runScaffold, runSequence, runWithSnapshots } from './test-utils/shop-plan';
import { readTree, tempFolders } from './test-utils/temp-app';

const folders = tempFolders('scaffold-spec');
afterAll(() => folders.cleanup());

const byNumber = (n: number) => SHOP_PHASES.find((p) => p.number === n)!;

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
}

describe('nx-phases:scaffold on the shop plan', () => {
  let app: Record<string, string>;
  beforeAll(async () => {
    const root = folders.create();
    await runSequence(root, 'Shop', SHOP_PHASES);
    app = readTree(root);
  });

  it('writes byte-identical files when run again', async () => {
    const again = folders.create();
    await runSequence(again, 'Shop', SHOP_PHASES);
    expect(readTree(again)).toEqual(app);
  });

  it('writes byte-identical files when run again in per-phase snapshots', async () => {
    const outputs = [];
    for (let run = 0; run < 2; run++) {
      const scratch = folders.create();
      const root = mkdtempSync(join(scratch, 'app-'));
      await runWithSnapshots(scratch, root, 'Shop', SHOP_PHASES);
      outputs.push(readTree(root));
    }
    expect(outputs[1]).toEqual(outputs[0]);
  });

  it('writes exactly the planned files, none empty', () => {
    const planned = [...new Set(SHOP_PHASES.flatMap((p) => p.plannedFiles))].sort();
    expect(Object.keys(app)).toEqual(planned);
    expect(Object.entries(app).filter(([, content]) => content.trim() === '')).toEqual([]);
  });

  it('resolves every relative import to a generated file', () => {
    const unresolved: string[] = [];
    for (const [file, content] of Object.entries(app).filter(([f]) => /\.tsx?$/.test(f))) {
      for (const [, specifier] of content.matchAll(/(?:from|import) '(\.[^']+)'/g)) {
        const target = posix.normalize(posix.join(posix.dirname(file), specifier));
        if (![target, `${target}.ts`, `${target}.tsx`].some((candidate) => candidate in app)) unresolved.push(`${file} → ${specifier}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('setup: package.json, strict tsconfig over src/, index.html mounting src/main.tsx', () => {
    const pkg = JSON.parse(app['package.json']);
    expect(pkg).toMatchObject({ name: 'shop', private: true, type: 'module', dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0' } });
    expect(JSON.parse(app['tsconfig.json'])).toMatchObject({
      compilerOptions: { strict: true, jsx: 'react-jsx', module: 'ESNext', moduleResolution: 'bundler', noEmit: true },
      include: ['src'],
    });
    expect(app['index.html']).toContain('<script type="module" src="/src/main.tsx"></script>');
    expect(app['index.html']).toContain('<title>Shop</title>');
    expect(app['src/main.tsx']).toContain("import { App } from './App';");
    expect(app['src/routes.tsx']).toContain('export function useHashPath(): string {');
  });

  it('database: one model per entity feature in prisma, models.ts and db.ts', () => {
    expect(app['prisma/schema.prisma']).toContain('model Product {\n  id          String   @id @default(cuid())');
    expect(app['prisma/schema.prisma']).toContain('  priceCents  Int\n}');
    expect(app['src/types/models.ts']).toContain("export type ModelName = 'CartItem' | 'Order' | 'Product' | 'User';");
    expect(app['src/lib/db.ts']).toContain("import type { CartItem, Order, Product, User } from '../types/models';");
    expect(app['src/lib/db.ts']).toContain("  product: createTable<Product>('product'),");
  });

  it('auth: provider, hook bound to the context, login page bound to the hook', () => {
    expect(app['src/auth/AuthContext.tsx']).toContain('export function AuthProvider(props: { children: ReactNode }) {');
    expect(app['src/auth/AuthContext.tsx']).toContain('Authentication of Shop (phase 3 "Auth"): Login and Registration.');
    expect(app['src/auth/useAuth.ts']).toContain("import { AuthContext, type AuthState } from './AuthContext';");
    expect(app['src/pages/login.tsx']).toContain("import { useAuth } from '../auth/useAuth';");
  });

  it('api: a client and one module per feature, typed with the matching model', () => {
    expect(app['src/api/client.ts']).toContain('export async function apiRequest<T>(');
    expect(app['src/api/products.ts']).toContain("import { apiRequest } from './client';");
    expect(app['src/api/products.ts']).toContain("import type { Product } from '../types/models';");
    expect(app['src/api/orders.ts']).toContain('export const ordersApi = {');
  });

  it('features: components use auth, hooks and APIs that exist; hooks store in db; pages show their components', () => {
    expect(app['src/components/shopping-cart.tsx']).toContain("import { useAuth } from '../auth/useAuth';");
    expect(app['src/components/product-catalog.tsx']).toContain("import { productsApi } from '../api/products';");
    expect(app['src/components/contact-form.tsx']).toContain("import { useContactForm } from '../hooks/useContactForm';");
    expect(app['src/hooks/useContactForm.ts']).toContain("import { createTable } from '../lib/db';");
    expect(app['src/hooks/useContactForm.ts']).toContain("export const contactFormFields = ['name', 'email', 'message'] as const;");
    expect(app['src/pages/checkout.tsx']).toContain(
      "import { CheckoutForm } from '../components/checkout-form';\nimport { OrderConfirmation } from '../components/order-confirmation';",
    );
    expect(app['src/pages/checkout.tsx']).toContain('export function CheckoutPage() {');
  });

  it('admin: the dashboard renders every admin tool behind sign-in', () => {
    expect(app['src/admin/admin-dashboard.tsx']).toContain("import { OrderManagement } from './order-management';");
    expect(app['src/admin/admin-dashboard.tsx']).toContain('<a href="#/login">Sign in</a>');
    expect(app['src/admin/product-management.tsx']).toContain("createTable<{ id: string; label: string }>('admin-product-management')");
  });

  it('polish: global styles for its features and an App shell wiring every page and every component no page shows', () => {
    expect(app['src/styles/global.css']).toContain('@media (prefers-color-scheme: dark) {');
    expect(app['src/styles/global.css']).toContain('@media (max-width: 640px) {');
    const shell = app['src/App.tsx'];
    expect(shell).toContain("import './styles/global.css';");
    expect(shell).toContain('    <AuthProvider>');
    for (const page of ['AdminDashboard', 'CheckoutPage', 'ContactFormPage', 'LoginPage', 'ProductCatalogPage', 'ShoppingCartPage']) {
      expect(shell).toContain(`render: () => <${page} /> },`);
    }
    expect(shell).toContain("import { StarRating } from './components/star-rating';");
    expect(shell).toContain("  { path: '/components', title: 'Components', render: () => (\n    <>\n      <StarRating />\n    </>\n  ) },");
  });

  it('testing: checks import the modules their feature names', () => {
    expect(app['src/tests/cart-tests.test.ts']).toContain("import { ShoppingCart } from '../components/shopping-cart';");
    expect(app['src/tests/product-api-tests.test.ts']).toContain("import { productsApi } from '../api/products';");
    expect(app['src/tests/product-api-tests.test.ts']).toContain("'API URLs are rooted at /api'");
  });
});

describe('nx-phases:scaffold reads what the dependencies produced', () => {
  const cart = byNumber(6);

  it('imports useAuth only when the snapshot has it', async () => {
    const without = folders.create();
    await runScaffold(without, optionsFor('Shop', cart));
    expect(readFileSync(join(without, 'src/components/shopping-cart.tsx'), 'utf-8')).not.toContain('useAuth');

    const withAuth = folders.create();
    await runScaffold(withAuth, optionsFor('Shop', byNumber(3)));
    await runScaffold(withAuth, optionsFor('Shop', cart));
    expect(readFileSync(join(withAuth, 'src/components/shopping-cart.tsx'), 'utf-8')).toContain("import { useAuth } from '../auth/useAuth';");
  });

  it('ignores an existing file that does not export what the scaffold would import', async () => {
    const root = folders.create();
    writeFiles(root, { 'src/auth/useAuth.ts': 'export const session = null;\n' });
    await runScaffold(root, optionsFor('Shop', cart));
    expect(readFileSync(join(root, 'src/components/shopping-cart.tsx'), 'utf-8')).not.toContain('useAuth');
  });

  it('keeps form submissions in memory when the snapshot has no db.ts', async () => {
    const contact = byNumber(8);
    const root = folders.create();
    await runScaffold(root, optionsFor('Shop', contact));
    expect(readFileSync(join(root, 'src/hooks/useContactForm.ts'), 'utf-8')).toContain('const submissions: ContactFormSubmission[] = [];');
  });
});

describe('nx-phases:scaffold updates planned files that already exist', () => {
  it('regenerates routes.tsx with every page present, and App.tsx then routes only the pages routes.tsx lacks', async () => {
    const root = folders.create();
    for (const n of [1, 2, 3, 6]) await runScaffold(root, optionsFor('Shop', byNumber(n)));
    const before = readFileSync(join(root, 'src/routes.tsx'), 'utf-8');
    expect(before).not.toContain('LoginPage');

    const navigation = phase({ number: 20, name: 'Navigation', domain: 'feature', features: ['Navigation'], plannedFiles: ['src/routes.tsx'] });
    await runScaffold(root, optionsFor('Shop', navigation));
    const routes = readFileSync(join(root, 'src/routes.tsx'), 'utf-8');
    expect(routes).toContain("import { LoginPage } from './pages/login';\nimport { ShoppingCartPage } from './pages/shopping-cart';");
    expect(routes).toContain("  { path: '/shopping-cart', title: 'Shopping Cart', render: () => <ShoppingCartPage /> },");

    await runScaffold(root, optionsFor('Shop', byNumber(8)));
    await runScaffold(root, optionsFor('Shop', byNumber(10)));
    const shell = readFileSync(join(root, 'src/App.tsx'), 'utf-8');
    expect(shell).toContain("import { ContactFormPage } from './pages/contact-form';");
    expect(shell).not.toContain('LoginPage');
  });

  it('merges an existing package.json: its values win and dependency maps stay sorted', async () => {
    const root = folders.create();
    writeFiles(root, { 'package.json': JSON.stringify({ name: 'my-shop', scripts: { lint: 'eslint .' }, dependencies: { zod: '^3.0.0', react: '18.3.1' } }) });
    await runScaffold(root, optionsFor('Shop', phase({ number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['package.json'] })));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
    expect(pkg.name).toBe('my-shop');
    expect(pkg.dependencies).toEqual({ react: '18.3.1', 'react-dom': '^19.0.0', zod: '^3.0.0' });
    expect(Object.keys(pkg.scripts)).toEqual(['build', 'dev', 'lint', 'typecheck']);
  });

  it('explains how to fix an existing package.json that is not JSON', async () => {
    const root = folders.create();
    writeFiles(root, { 'package.json': '{ "name": ' });
    const setup = phase({ number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['package.json'] });
    await expect(runScaffold(root, optionsFor('Shop', setup))).rejects.toThrow(
      /^package\.json in the snapshot is not valid JSON \(.+\)\. Fix it where it comes from .+ or remove it from phase 1 "Setup"'s plannedFiles\.$/,
    );
  });
});

describe('nx-phases:scaffold options', () => {
  it('asks for the executor when run without a phase', async () => {
    const tree = new FsTree(folders.create(), false);
    await expect(scaffoldGenerator(tree, {} as never)).rejects.toThrow(
      'nx-phases:scaffold is a phase generator: it needs the `plan` and `phase` options the nx-phases:phase executor passes.',
    );
  });

  it('refuses a planned file outside the app root', async () => {
    const tree = new FsTree(folders.create(), false);
    const escape = phase({ number: 4, name: 'Escape', domain: 'feature', plannedFiles: ['../outside.ts'] });
    await expect(scaffoldGenerator(tree, optionsFor('Shop', escape))).rejects.toThrow(
      'Phase 4 plans "../outside.ts", which is outside the app root.',
    );
  });
});
