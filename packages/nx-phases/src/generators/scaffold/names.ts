import { posix } from 'node:path';

/** Splits a name into alphanumeric words ("Shopping cart & checkout" → ["Shopping", "cart", "checkout"]). */
export function words(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
}

/** PascalCase that keeps inner capitals ("shopping-cart" → "ShoppingCart", "AuthContext" → "AuthContext"). */
function pascalCase(name: string): string {
  return words(name)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/** A PascalCase identifier usable as a component or type name ("3d-viewer" → "Feature3dViewer"). */
export function pascalIdentifier(name: string): string {
  const pascal = pascalCase(name) || 'Item';
  return /^[0-9]/.test(pascal) ? `Feature${pascal}` : pascal;
}

/** A camelCase identifier ("product-catalog" → "productCatalog", "3d" → "feature3d"). */
export function camelIdentifier(name: string): string {
  const pascal = pascalIdentifier(name);
  return pascal[0].toLowerCase() + pascal.slice(1);
}

/** kebab-case, the plan core's rule, so names in content match the predicted file names ("ProductCatalog" → "product-catalog"). */
export { toKebabCase as kebabCase } from '../../plan';

/** Title Case from a file or feature name ("shopping-cart" → "Shopping Cart"). */
export function titleCase(name: string): string {
  return words(name)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

/** Lower-case letters and digits only, for matching names across spellings ("useContactForm" ≈ "use-contact-form"). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The file name without folder and extension ("src/pages/login.tsx" → "login", "a.test.ts" → "a.test"). */
export function baseName(path: string): string {
  return posix.basename(path).replace(/\.[^.]+$/, '');
}

/** The module specifier that imports `to` from `from` ("src/pages/a.tsx", "src/auth/useAuth.ts" → "../auth/useAuth"). */
export function importPath(from: string, to: string): string {
  const relative = posix.relative(posix.dirname(from), to).replace(/\.(tsx?|jsx?)$/, '');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** The feature of `features` whose name matches `name` across spellings, else `name` in Title Case. */
export function featureLabel(features: readonly string[], name: string): string {
  return features.find((feature) => normalizeName(feature) === normalizeName(name)) ?? titleCase(name);
}

/** Sorts strings by code unit, independent of locale. */
export function sortStrings(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Lower-case, singular words of a name with 3+ letters, minus `ignored` ("Product API tests" → ["product"] when ignoring api/test). */
export function topicWords(name: string, ignored: ReadonlySet<string>): string[] {
  return words(name)
    .map((word) => word.toLowerCase().replace(/([^s])s$/, '$1'))
    .filter((word) => word.length >= 3 && !ignored.has(word));
}
