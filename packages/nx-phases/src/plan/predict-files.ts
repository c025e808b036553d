import type { PhaseDomain } from './types';
import { phaseWiring } from './wiring';

/** What `predictPhaseFiles` needs to know about a phase. */
export interface PredictionInput {
  name: string;
  domain: string;
  features: string[];
}

type Predictor = (phase: PredictionInput) => string[];

/** One rule per known domain; the scaffold generator and the planner depend on these exact paths. */
const PREDICTORS: Record<PhaseDomain, Predictor> = {
  setup: () => ['package.json', 'tsconfig.json', 'index.html', 'src/main.tsx', 'src/App.tsx', 'src/routes.tsx'],
  database: () => ['prisma/schema.prisma', 'src/lib/db.ts', 'src/types/models.ts'],
  auth: () => ['src/auth/AuthContext.tsx', 'src/auth/useAuth.ts', 'src/pages/login.tsx'],
  api: (phase) => ['src/api/client.ts', ...perFeature(phase, (kebab) => `src/api/${kebab}.ts`)],
  feature: (phase) => [
    ...phase.features.flatMap((feature) => featureFiles(feature)),
    ...whenNamed(toKebabCase(phase.name), (kebab) => `src/pages/${kebab}.tsx`),
  ],
  admin: (phase) => ['src/admin/admin-dashboard.tsx', ...perFeature(phase, (kebab) => `src/admin/${kebab}.tsx`)],
  polish: () => ['src/styles/global.css', 'src/App.tsx'],
  testing: (phase) => perFeature(phase, (kebab) => `src/tests/${kebab}.test.ts`),
};

/** The shared wiring files the scaffold extends when a plan declares them mergeable. */
export const WIRING_FILES = { packageJson: 'package.json', env: '.env.example', routes: 'src/routes.tsx' } as const;

/**
 * Predicts the files a phase will write from its domain and features (used when `plannedFiles` is omitted).
 * The domain is matched case-insensitively; unknown domains use the `feature` rule. Features or names without
 * any letter or digit yield no file. With `mergeable` (the plan's mergeable files), a phase also plans the wiring
 * files it adds to (see `WIRING_FILES`): the route table when it has a page, `package.json` and `.env.example`
 * when it needs packages or variables (see `phaseWiring`). The result is de-duplicated and keeps the rule's order.
 */
export function predictPhaseFiles(phase: PredictionInput, mergeable: ReadonlySet<string> = new Set()): string[] {
  const domain = phase.domain.trim().toLowerCase();
  const predictor = Object.prototype.hasOwnProperty.call(PREDICTORS, domain)
    ? PREDICTORS[domain as PhaseDomain]
    : PREDICTORS.feature;
  const files = predictor(phase);
  return [...new Set([...files, ...wiringFiles(phase, domain, files, mergeable)])];
}

/** The mergeable wiring files a phase adds to, in `WIRING_FILES` order. */
function wiringFiles(phase: PredictionInput, domain: string, files: string[], mergeable: ReadonlySet<string>): string[] {
  if (mergeable.size === 0) return [];
  const wiring = phaseWiring(phase);
  const wanted: string[] = [];
  if (mergeable.has(WIRING_FILES.packageJson) && (domain === 'setup' || Object.keys(wiring.dependencies).length > 0)) wanted.push(WIRING_FILES.packageJson);
  if (mergeable.has(WIRING_FILES.env) && wiring.env.length > 0) wanted.push(WIRING_FILES.env);
  if (mergeable.has(WIRING_FILES.routes) && (domain === 'setup' || files.some(isRoutedPage))) wanted.push(WIRING_FILES.routes);
  return wanted;
}

/** A page the route table links to: `src/pages/*.tsx` or the admin dashboard. */
export function isRoutedPage(path: string): boolean {
  return /^src\/pages\/[^/]+\.tsx$/.test(path) || path === 'src/admin/admin-dashboard.tsx';
}

/** "Product Catalog" → "product-catalog"; camelCase is split, characters other than ASCII letters/digits are dropped. */
export function toKebabCase(text: string): string {
  return words(text)
    .map((word) => word.toLowerCase())
    .join('-');
}

/** "contact form" → "ContactForm"; same word rules as `toKebabCase`. */
export function toPascalCase(text: string): string {
  return words(text)
    .map((word) => word[0].toUpperCase() + word.slice(1).toLowerCase())
    .join('');
}

/** Splits text into ASCII letter/digit words, breaking camelCase ("ProductCatalog" → Product, Catalog). */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
}

/** A component per feature, plus a `use<Pascal>.ts` hook when the feature name contains "form". */
function featureFiles(feature: string): string[] {
  const files = whenNamed(toKebabCase(feature), (kebab) => `src/components/${kebab}.tsx`);
  if (files.length > 0 && /form/i.test(feature)) files.push(`src/hooks/use${toPascalCase(feature)}.ts`);
  return files;
}

/** One path per feature that has a usable name. */
function perFeature(phase: PredictionInput, toPath: (kebab: string) => string): string[] {
  return phase.features.flatMap((feature) => whenNamed(toKebabCase(feature), toPath));
}

/** `[toPath(kebab)]`, or `[]` when the kebab-case name is empty. */
function whenNamed(kebab: string, toPath: (kebab: string) => string): string[] {
  return kebab === '' ? [] : [toPath(kebab)];
}
