import { baseName, camelIdentifier, pascalIdentifier } from './names';

/** Well-known app-root-relative paths the templates link together. */
export const PATHS = {
  app: 'src/App.tsx',
  routes: 'src/routes.tsx',
  main: 'src/main.tsx',
  authContext: 'src/auth/AuthContext.tsx',
  useAuth: 'src/auth/useAuth.ts',
  loginPage: 'src/pages/login.tsx',
  db: 'src/lib/db.ts',
  models: 'src/types/models.ts',
  apiClient: 'src/api/client.ts',
  adminDashboard: 'src/admin/admin-dashboard.tsx',
  globalCss: 'src/styles/global.css',
} as const;

/** Folders whose files follow a naming convention. */
export const FOLDERS = {
  pages: 'src/pages',
  components: 'src/components',
  hooks: 'src/hooks',
  admin: 'src/admin',
  api: 'src/api',
} as const;

/** The component a `src/components/<name>.tsx` or `src/admin/<name>.tsx` file exports. */
export function componentName(path: string): string {
  return pascalIdentifier(baseName(path));
}

/** The component a `src/pages/<name>.tsx` file exports ("login" → "LoginPage"). */
export function pageName(path: string): string {
  return `${pascalIdentifier(baseName(path))}Page`;
}

/** The hook a `src/hooks/<useName>.ts` file exports (its file name as an identifier). */
export function hookName(path: string): string {
  const name = baseName(path).replace(/[^A-Za-z0-9]/g, '');
  return /^use[A-Z0-9]/.test(name) ? name : `use${pascalIdentifier(name)}`;
}

/** The API object a `src/api/<name>.ts` file exports ("products" → "productsApi"). */
export function apiName(path: string): string {
  return `${camelIdentifier(baseName(path))}Api`;
}
