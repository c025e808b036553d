import { phaseWiring } from './wiring';
import { isRoutedPage, predictPhaseFiles, toKebabCase, toPascalCase } from './index';

describe('toKebabCase / toPascalCase', () => {
  it.each([
    ['Product Catalog', 'product-catalog', 'ProductCatalog'],
    ['  user   settings!', 'user-settings', 'UserSettings'],
    ['ProductCatalog', 'product-catalog', 'ProductCatalog'],
    ['OAuth2Login', 'oauth2-login', 'Oauth2Login'],
    ['API keys', 'api-keys', 'ApiKeys'],
    ['Café & Crème', 'caf-cr-me', 'CafCrMe'],
    ['***', '', ''],
  ])('%j → %j / %j', (text, kebab, pascal) => {
    expect(toKebabCase(text)).toBe(kebab);
    expect(toPascalCase(text)).toBe(pascal);
  });
});

describe('predictPhaseFiles', () => {
  const predict = (domain: string, features: string[] = [], name = 'Phase') => predictPhaseFiles({ name, domain, features });

  it('setup', () => {
    expect(predict('setup', ['Ignored'])).toEqual([
      'package.json',
      'tsconfig.json',
      'index.html',
      'src/main.tsx',
      'src/App.tsx',
      'src/routes.tsx',
    ]);
  });

  it('database', () => {
    expect(predict('database')).toEqual(['prisma/schema.prisma', 'src/lib/db.ts', 'src/types/models.ts']);
  });

  it('auth', () => {
    expect(predict('auth')).toEqual(['src/auth/AuthContext.tsx', 'src/auth/useAuth.ts', 'src/pages/login.tsx']);
  });

  it('api', () => {
    expect(predict('api', ['Products', 'Order History'])).toEqual([
      'src/api/client.ts',
      'src/api/products.ts',
      'src/api/order-history.ts',
    ]);
  });

  it('feature: components, a hook for form features, and the page', () => {
    expect(predict('feature', ['Product List', 'Checkout Form', 'Platform settings'], 'Product Catalog')).toEqual([
      'src/components/product-list.tsx',
      'src/components/checkout-form.tsx',
      'src/hooks/useCheckoutForm.ts',
      'src/components/platform-settings.tsx',
      'src/hooks/usePlatformSettings.ts',
      'src/pages/product-catalog.tsx',
    ]);
  });

  it('treats unknown domains like feature and matches domains case-insensitively', () => {
    expect(predict('payments', ['Card form'], 'Billing')).toEqual([
      'src/components/card-form.tsx',
      'src/hooks/useCardForm.ts',
      'src/pages/billing.tsx',
    ]);
    expect(predict(' Auth ')).toEqual(predict('auth'));
    expect(predict('constructor')).toEqual(['src/pages/phase.tsx']);
  });

  it('admin', () => {
    expect(predict('admin', ['Users', 'Reports'])).toEqual([
      'src/admin/admin-dashboard.tsx',
      'src/admin/users.tsx',
      'src/admin/reports.tsx',
    ]);
  });

  it('polish rewrites the app shell', () => {
    expect(predict('polish', ['Dark mode'])).toEqual(['src/styles/global.css', 'src/App.tsx']);
  });

  it('testing', () => {
    expect(predict('testing', ['Checkout', 'Login Form'])).toEqual(['src/tests/checkout.test.ts', 'src/tests/login-form.test.ts']);
  });

  it('de-duplicates and skips names without letters or digits', () => {
    expect(predict('feature', ['Cart', 'cart', '!!!'], '???')).toEqual(['src/components/cart.tsx']);
    expect(predict('admin', ['Admin Dashboard'])).toEqual(['src/admin/admin-dashboard.tsx']);
  });
});

describe('predictPhaseFiles with mergeable wiring files', () => {
  const all = new Set(['package.json', '.env.example', 'src/routes.tsx']);
  const predictWith = (domain: string, features: string[], mergeable: ReadonlySet<string> = all, name = 'Phase') =>
    predictPhaseFiles({ name, domain, features }, mergeable);

  it('adds the route table to every phase with a page, and package.json or .env.example when it needs packages or variables', () => {
    expect(predictWith('feature', ['Checkout form'], all, 'Checkout')).toEqual([
      'src/components/checkout-form.tsx',
      'src/hooks/useCheckoutForm.ts',
      'src/pages/checkout.tsx',
      'package.json',
      '.env.example',
      'src/routes.tsx',
    ]);
    expect(predictWith('feature', ['Cart'], all, 'Cart')).toEqual(['src/components/cart.tsx', 'src/pages/cart.tsx', 'src/routes.tsx']);
    expect(predictWith('auth', ['Login'])).toEqual(['src/auth/AuthContext.tsx', 'src/auth/useAuth.ts', 'src/pages/login.tsx', '.env.example', 'src/routes.tsx']);
    expect(predictWith('database', ['Products'])).toEqual(['prisma/schema.prisma', 'src/lib/db.ts', 'src/types/models.ts', 'package.json', '.env.example']);
    expect(predictWith('admin', ['Users'])).toEqual(['src/admin/admin-dashboard.tsx', 'src/admin/users.tsx', 'src/routes.tsx']);
    expect(predictWith('setup', [])).toEqual(['package.json', 'tsconfig.json', 'index.html', 'src/main.tsx', 'src/App.tsx', 'src/routes.tsx', '.env.example']);
    expect(predictWith('polish', ['Styles'])).toEqual(['src/styles/global.css', 'src/App.tsx']);
  });

  it('adds only the files the plan declares mergeable', () => {
    expect(predictWith('feature', ['Checkout form'], new Set(['src/routes.tsx']), 'Checkout')).toEqual([
      'src/components/checkout-form.tsx',
      'src/hooks/useCheckoutForm.ts',
      'src/pages/checkout.tsx',
      'src/routes.tsx',
    ]);
    expect(predictWith('feature', ['Checkout form'], new Set(), 'Checkout')).toEqual(predictPhaseFiles({ name: 'Checkout', domain: 'feature', features: ['Checkout form'] }));
  });
});

describe('phaseWiring', () => {
  it('gives packages and variables by domain, else by keywords in the name and features, always the same version per package', () => {
    expect(phaseWiring({ name: 'Database', domain: 'database', features: ['Checkout'] })).toEqual({ dependencies: { '@prisma/client': '^6.0.0' }, env: ['DATABASE_URL=file:./dev.db'] });
    expect(phaseWiring({ name: 'Checkout', domain: 'feature', features: ['Checkout form', 'Payment'] })).toEqual({
      dependencies: { '@stripe/stripe-js': '^5.0.0', zod: '^3.23.0' },
      env: ['STRIPE_PUBLISHABLE_KEY=pk_test_change_me'],
    });
    expect(phaseWiring({ name: 'Search', domain: 'Custom', features: ['Filters', 'Order history'] })).toEqual({
      dependencies: { 'date-fns': '^4.1.0', 'fuse.js': '^7.0.0' },
      env: ['SEARCH_RESULTS_PER_PAGE=20'],
    });
    expect(phaseWiring({ name: 'Cart', domain: 'feature', features: ['Cart'] })).toEqual({ dependencies: {}, env: [] });
    expect(phaseWiring({ name: 'Polish', domain: 'polish', features: ['Search styles'] })).toEqual({ dependencies: {}, env: [] });
  });

  it('lists the packages in name order, whatever order the keywords came in, as package.json will show them', () => {
    // form → zod, chart → recharts, checkout → @stripe/stripe-js: three packages found out of name order.
    const wiring = phaseWiring({ name: 'Signup form', domain: 'feature', features: ['Sales chart', 'Checkout'] });
    expect(Object.keys(wiring.dependencies)).toEqual(['@stripe/stripe-js', 'recharts', 'zod']);
    expect(Object.keys(phaseWiring({ name: 'Report', domain: 'feature', features: ['Blog', 'Search', 'Calendar', 'Form'] }).dependencies)).toEqual([
      'date-fns',
      'fuse.js',
      'marked',
      'recharts',
      'zod',
    ]);
  });

  it('reads a domain written with spaces around it as that domain, and keywords in separate features as separate words', () => {
    expect(phaseWiring({ name: 'Setup', domain: ' setup ', features: ['Search'] })).toEqual({ dependencies: {}, env: ['PORT=5173'] });
    // "Contact" + "form" joined without a space would read "contactform", where \bform\b does not match.
    expect(phaseWiring({ name: 'Contact', domain: 'feature', features: ['form'] })).toEqual({
      dependencies: { zod: '^3.23.0' },
      env: ['SUPPORT_EMAIL=support@example.com'],
    });
  });
});

describe('isRoutedPage (what the route table links to)', () => {
  it('is a page directly in src/pages, or the admin dashboard', () => {
    expect(['src/pages/login.tsx', 'src/pages/a.tsx', 'src/admin/admin-dashboard.tsx'].map(isRoutedPage)).toEqual([true, true, true]);
    expect(
      ['src/pages/admin/users.tsx', 'app/src/pages/login.tsx', 'src/pages/login.tsx.bak', 'src/pages/login.ts', 'src/pages/.tsx', 'src/admin/users.tsx', 'src/components/cart.tsx'].map(isRoutedPage),
    ).toEqual([false, false, false, false, false, false, false]);
  });
});
