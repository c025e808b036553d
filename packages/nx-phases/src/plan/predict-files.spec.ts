import { predictPhaseFiles, toKebabCase, toPascalCase } from './index';

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
