import { mulberry32, randomInt, sample } from '../../../packages/nx-phases/src/plan/test-utils/prng';
import type { PhaseDocument, PlanDocument } from '../../../packages/nx-phases/src/plan';

/** Files many phases touch (app shell, routes, shared libs): the source of realistic conflicts. */
export const HOT_FILES = [
  'src/App.tsx',
  'src/routes.tsx',
  'src/main.tsx',
  'src/styles/global.css',
  'src/lib/db.ts',
  'src/types/models.ts',
  'src/api/client.ts',
  'package.json',
];

const DOMAINS = ['feature', 'feature', 'feature', 'api', 'admin', 'database', 'auth', 'testing', 'polish'];

/** How far back a phase may pick its dependencies; this sets the plan's width (about window / 4 per level). */
const DEPENDENCY_WINDOW = 40;

/** The probability that one planned file comes from `HOT_FILES`. */
const HOT_FILE_SHARE = 0.1;

/**
 * A seeded plan of `phaseCount` phases: each depends on 2–6 of the previous `DEPENDENCY_WINDOW` phases
 * and plans 3–8 files, about 10% of them drawn from `HOT_FILES`, the rest its own.
 */
export function generatePlan(phaseCount: number, seed: number): PlanDocument {
  const random = mulberry32(seed);
  const phases: PhaseDocument[] = [];
  for (let number = 1; number <= phaseCount; number++) {
    const window = Array.from({ length: Math.min(DEPENDENCY_WINDOW, number - 1) }, (_, i) => number - 1 - i);
    const domain = DOMAINS[randomInt(random, 0, DOMAINS.length - 1)];
    const fileCount = randomInt(random, 3, 8);
    const plannedFiles = new Set<string>();
    for (let k = 0; k < fileCount; k++) {
      plannedFiles.add(random() < HOT_FILE_SHARE ? HOT_FILES[randomInt(random, 0, HOT_FILES.length - 1)] : `src/${domain}/phase-${number}/file-${k}.ts`);
    }
    phases.push({
      number,
      name: `${domain[0].toUpperCase()}${domain.slice(1)} ${number}`,
      domain,
      description: `Generated ${domain} phase ${number}`,
      features: [`Feature ${number}a`, `Feature ${number}b`],
      dependencies: sample(random, window, randomInt(random, 2, 6)),
      plannedFiles: [...plannedFiles],
    });
  }
  return { name: `bench-${phaseCount}`, context: ['src/theme.ts'], phases };
}
