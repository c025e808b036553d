import type { PredictionInput } from './predict-files';

/** What a phase adds to the app's shared wiring files (`package.json`, `.env.example`) besides its own files. */
export interface PhaseWiring {
  /** npm dependencies its code needs: name → version range. */
  dependencies: Record<string, string>;
  /** `.env.example` lines, `NAME=example`. */
  env: string[];
}

/** Domains whose wiring comes from the domain alone (keywords in their features are not feature work). */
const DOMAIN_WIRING: Record<string, PhaseWiring> = {
  setup: { dependencies: {}, env: ['PORT=5173'] },
  database: { dependencies: { '@prisma/client': '^6.0.0' }, env: ['DATABASE_URL=file:./dev.db'] },
  auth: { dependencies: {}, env: ['AUTH_SECRET=change-me'] },
  api: { dependencies: {}, env: ['API_BASE_URL=http://localhost:3000/api'] },
  polish: { dependencies: {}, env: [] },
  testing: { dependencies: {}, env: [] },
};

/** Keyword rules for the other domains, matched against the phase's name and features (lower case). */
const KEYWORD_WIRING: Array<[RegExp, PhaseWiring]> = [
  [/\bform\b|signup|register/, { dependencies: { zod: '^3.23.0' }, env: [] }],
  [/search|filter/, { dependencies: { 'fuse.js': '^7.0.0' }, env: ['SEARCH_RESULTS_PER_PAGE=20'] }],
  [/booking|calendar|schedul|history/, { dependencies: { 'date-fns': '^4.1.0' }, env: [] }],
  [/chart|analytic|dashboard|report/, { dependencies: { recharts: '^2.15.0' }, env: [] }],
  [/checkout|payment|billing/, { dependencies: { '@stripe/stripe-js': '^5.0.0', zod: '^3.23.0' }, env: ['STRIPE_PUBLISHABLE_KEY=pk_test_change_me'] }],
  [/contact|support|newsletter/, { dependencies: {}, env: ['SUPPORT_EMAIL=support@example.com'] }],
  [/markdown|blog|article/, { dependencies: { marked: '^15.0.0' }, env: [] }],
];

/**
 * The npm dependencies and environment variables a phase adds, from its domain (setup, database, auth, api) or
 * else keywords in its name and features ("Checkout form" → zod, @stripe/stripe-js, STRIPE_PUBLISHABLE_KEY).
 * Deterministic; the same package always gets the same version range, so two phases never disagree on one.
 */
export function phaseWiring(phase: PredictionInput): PhaseWiring {
  const domain = phase.domain.trim().toLowerCase();
  if (Object.prototype.hasOwnProperty.call(DOMAIN_WIRING, domain)) {
    const wiring = DOMAIN_WIRING[domain];
    return { dependencies: { ...wiring.dependencies }, env: [...wiring.env] };
  }
  const text = [phase.name, ...phase.features].join(' ').toLowerCase();
  const result: PhaseWiring = { dependencies: {}, env: [] };
  for (const [pattern, wiring] of KEYWORD_WIRING) {
    if (!pattern.test(text)) continue;
    Object.assign(result.dependencies, wiring.dependencies);
    for (const line of wiring.env) if (!result.env.includes(line)) result.env.push(line);
  }
  result.dependencies = Object.fromEntries(Object.entries(result.dependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
  return result;
}
