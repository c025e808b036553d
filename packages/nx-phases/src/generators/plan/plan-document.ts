import { predictPhaseFiles, WIRING_FILES } from '../../plan';
import type { MergeStrategy, PhaseDocument, PlanDocument } from '../../plan/types';
import { ADMIN, NEEDS_AUTH, STORES_DATA, mentions } from './heuristic';
import type { NormalizedPlanOptions } from './options';

/**
 * The check every planned phase must pass in its own snapshot: a type-check of the app as far as that phase (the
 * Setup phase writes tsconfig.json; `init` adds typescript). No repairs for the offline scaffold; an LLM generator gets 2.
 */
const TYPE_CHECK = { command: 'tsc --noEmit -p tsconfig.json', timeoutSeconds: 120 };

const SCHEMA_IN_NODE_MODULES = 'node_modules/nx-phases/schemas/phases.schema.json';

/** The wiring files the planner declares mergeable, with their strategies. */
const WIRING_MERGE: Record<string, MergeStrategy> = { [WIRING_FILES.packageJson]: 'json', [WIRING_FILES.env]: 'lines', [WIRING_FILES.routes]: 'regions' };

/**
 * The planned `phases.json` before conflict resolution: Setup, Database and Auth when asked, one phase per
 * feature (admin features after the others), Polish last depending on all; every phase's files predicted. With
 * `merge`, the wiring files are declared mergeable and predicted for every phase that adds to them (its page's
 * route, its npm dependencies, its environment variables), so feature phases wire themselves in parallel.
 */
export function buildPlanDocument(options: NormalizedPlanOptions): PlanDocument {
  const phases: PhaseDocument[] = [];
  const merge = options.merge ? WIRING_MERGE : {};
  const mergeable = new Set(Object.keys(merge));
  const add = (phase: Omit<PhaseDocument, 'number' | 'plannedFiles'>): number => {
    const number = phases.length + 1;
    const plannedFiles = predictPhaseFiles({ name: phase.name, domain: phase.domain!, features: phase.features! }, mergeable);
    phases.push({ number, ...phase, plannedFiles });
    return number;
  };
  const setup = add({ name: 'Setup', domain: 'setup', description: 'App shell, routing and build config', features: ['App shell', 'Routing'], dependencies: [] });
  const dataFeatures = options.features.filter((feature) => mentions(feature, STORES_DATA));
  const database = options.database
    ? add({ name: 'Database', domain: 'database', description: 'Data models and a store', features: dataFeatures.length > 0 ? dataFeatures : ['Data models'], dependencies: [setup] })
    : undefined;
  const auth = options.auth
    ? add({ name: 'Auth', domain: 'auth', description: 'Sign-in, session and guards', features: ['Login', 'Session'], dependencies: [setup] })
    : undefined;
  const foundations = (feature: string) => [
    setup,
    ...(database !== undefined && mentions(feature, STORES_DATA) ? [database] : []),
    ...(auth !== undefined && mentions(feature, NEEDS_AUTH) ? [auth] : []),
  ];
  const managed = options.features
    .filter((feature) => !mentions(feature, ADMIN))
    .map((feature) => add({ name: feature, domain: 'feature', description: featureDescription(feature, foundations(feature), database, auth), features: [feature], dependencies: foundations(feature) }));
  for (const feature of options.features.filter((f) => mentions(f, ADMIN))) {
    const dependencies = [...foundations(feature), ...managed];
    add({ name: feature, domain: 'admin', description: `${featureDescription(feature, dependencies, database, auth)} Runs after the features it manages.`, features: [feature], dependencies });
  }
  add({ name: 'Polish', domain: 'polish', description: 'Global styles and the final app shell', features: ['Styles', 'Navigation'], dependencies: phases.map((p) => p.number) });
  return {
    $schema: `${'../'.repeat(options.directory.split('/').length)}${SCHEMA_IN_NODE_MODULES}`,
    name: options.name,
    generator: options.generator,
    parallel: true,
    ...(options.merge ? { merge } : {}),
    check: TYPE_CHECK,
    phases,
  };
}

/** `Shopping cart. Stores data (after Database).` — says which heuristic rules applied. */
function featureDescription(feature: string, dependencies: number[], database: number | undefined, auth: number | undefined): string {
  const reasons = [
    ...(database !== undefined && dependencies.includes(database) ? ['Stores data (after Database).'] : []),
    ...(auth !== undefined && dependencies.includes(auth) ? ['Involves accounts (after Auth).'] : []),
  ];
  return [`${feature}.`, ...reasons].join(' ');
}
