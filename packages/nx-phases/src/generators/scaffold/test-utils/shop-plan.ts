import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Phase } from '../../../plan/types';
import { FsTree, flushChanges } from '../../../runtime/nx-tree';
import type { DependencyOutput, PhaseGeneratorOptions } from '../../../runtime/phase-generator';
import scaffoldGenerator from '../generator';

/** Builds a Phase with defaults for the fields a test does not care about. */
export function phase(spec: Pick<Phase, 'number' | 'name' | 'domain' | 'plannedFiles'> & Partial<Phase>): Phase {
  return { description: '', features: [], dependencies: [], predictedFiles: false, ...spec };
}

/** A realistic 11-phase shop plan whose plannedFiles follow the core's file-prediction rules. */
export const SHOP_PHASES: Phase[] = [
  phase({
    number: 1, name: 'Setup', domain: 'setup',
    features: ['Project setup', 'Routing'],
    plannedFiles: [
      'package.json',
      'tsconfig.json',
      'index.html',
      'src/main.tsx',
      'src/App.tsx',
      'src/routes.tsx',
    ],
  }),
  phase({
    number: 2, name: 'Database', domain: 'database', dependencies: [1],
    features: ['User model', 'Product model', 'Order model', 'Cart items', 'Seed data'],
    plannedFiles: ['prisma/schema.prisma', 'src/lib/db.ts', 'src/types/models.ts'],
  }),
  phase({
    number: 3, name: 'Auth', domain: 'auth', dependencies: [1, 2],
    features: ['Login', 'Registration'],
    plannedFiles: ['src/auth/AuthContext.tsx', 'src/auth/useAuth.ts', 'src/pages/login.tsx'],
  }),
  phase({
    number: 4, name: 'API', domain: 'api', dependencies: [2],
    features: ['Products', 'Orders'],
    plannedFiles: ['src/api/client.ts', 'src/api/products.ts', 'src/api/orders.ts'],
  }),
  phase({
    number: 5, name: 'Product Catalog', domain: 'feature', dependencies: [2, 4], description: 'Browse and search products.',
    features: ['Product catalog', 'Product search'],
    plannedFiles: [
      'src/components/product-catalog.tsx',
      'src/components/product-search.tsx',
      'src/components/star-rating.tsx',
      'src/pages/product-catalog.tsx',
    ],
  }),
  phase({
    number: 6, name: 'Shopping Cart', domain: 'feature', dependencies: [2, 3],
    features: ['Shopping cart', 'Cart summary'],
    plannedFiles: [
      'src/components/shopping-cart.tsx',
      'src/components/cart-summary.tsx',
      'src/pages/shopping-cart.tsx',
    ],
  }),
  phase({
    number: 7, name: 'Checkout', domain: 'feature', dependencies: [3, 6],
    features: ['Checkout form', 'Order confirmation'],
    plannedFiles: [
      'src/components/checkout-form.tsx',
      'src/components/order-confirmation.tsx',
      'src/hooks/useCheckoutForm.ts',
      'src/pages/checkout.tsx',
    ],
  }),
  phase({
    number: 8, name: 'Contact Form', domain: 'feature', dependencies: [1, 2],
    features: ['Contact form'],
    plannedFiles: [
      'src/components/contact-form.tsx',
      'src/hooks/useContactForm.ts',
      'src/pages/contact-form.tsx',
    ],
  }),
  phase({
    number: 9, name: 'Admin', domain: 'admin', dependencies: [3, 5, 7],
    features: ['Product management', 'Order management'],
    plannedFiles: [
      'src/admin/admin-dashboard.tsx',
      'src/admin/product-management.tsx',
      'src/admin/order-management.tsx',
    ],
  }),
  phase({
    number: 10, name: 'Polish', domain: 'polish', dependencies: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    features: ['Responsive design', 'Dark mode', 'Animations'],
    plannedFiles: ['src/styles/global.css', 'src/App.tsx'],
  }),
  phase({
    number: 11, name: 'Testing', domain: 'testing', dependencies: [10],
    features: ['Cart tests', 'Checkout tests', 'Product API tests'],
    plannedFiles: [
      'src/tests/cart-tests.test.ts',
      'src/tests/checkout-tests.test.ts',
      'src/tests/product-api-tests.test.ts',
    ],
  }),
];

/** The options the executor would pass for `phase` of plan `planName`. */
export function optionsFor(planName: string, target: Phase, dependencies: DependencyOutput[] = []): PhaseGeneratorOptions {
  return { plan: { name: planName, appRoot: `apps/${planName}` }, phase: target, dependencies, context: [] };
}

/** Runs the scaffold for one phase on an FsTree rooted at `root` and flushes it to disk, like the executor. */
export async function runScaffold(root: string, options: PhaseGeneratorOptions): Promise<void> {
  const tree = new FsTree(root, false);
  await scaffoldGenerator(tree, options);
  flushChanges(root, tree.listChanges());
}

/** Runs every phase in order on one folder (each phase sees everything written before it). */
export async function runSequence(root: string, planName: string, phases: Phase[]): Promise<void> {
  for (const target of phases) await runScaffold(root, optionsFor(planName, target));
}

/**
 * Runs every phase like the executor: in its own snapshot holding only its transitive dependencies'
 * outputs (overlaid in order), then overlays every phase's output into `appRoot` in phase order.
 */
export async function runWithSnapshots(scratch: string, appRoot: string, planName: string, phases: Phase[]): Promise<void> {
  const outputs = new Map<number, Map<string, string>>();
  for (const target of phases) {
    const snapshot = mkdtempSync(join(scratch, `phase-${target.number}-`));
    const closure = transitiveDependencies(phases, target);
    for (const dependency of closure) writeFiles(snapshot, outputs.get(dependency.number) ?? new Map());
    const dependencies = closure.map((d) => ({ number: d.number, name: d.name, domain: d.domain, features: d.features, files: d.plannedFiles }));
    await runScaffold(snapshot, optionsFor(planName, target, dependencies));
    outputs.set(target.number, new Map(target.plannedFiles.map((file) => [file, readFileSync(join(snapshot, file), 'utf-8')])));
  }
  for (const target of phases) writeFiles(appRoot, outputs.get(target.number) ?? new Map());
}

function transitiveDependencies(phases: Phase[], target: Phase): Phase[] {
  const seen = new Set<number>();
  const visit = (numbers: number[]) => {
    for (const number of numbers) if (!seen.has(number)) (seen.add(number), visit(phases.find((p) => p.number === number)?.dependencies ?? []));
  };
  visit(target.dependencies);
  return phases.filter((p) => seen.has(p.number));
}

function writeFiles(root: string, files: Map<string, string>): void {
  for (const [file, content] of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
}
