import { formatLevels, resolveConflicts } from './index';
import { makePlan } from './test-utils/make-plan';

const phases = [
  { number: 1, name: 'Setup', plannedFiles: ['src/App.tsx'] },
  { number: 2, name: 'Auth', dependencies: [1], plannedFiles: ['src/routes.tsx'] },
  { number: 3, name: 'Product Catalog', dependencies: [1], plannedFiles: ['src/routes.tsx'] },
  { number: 4, name: 'Admin', dependencies: [2, 3] },
];

describe('formatLevels', () => {
  it('prints one line per level', () => {
    expect(formatLevels(makePlan(phases))).toBe(
      [
        'Level 1: [Setup] (1 phase)',
        'Level 2: [Auth, Product Catalog] (2 parallel)',
        'Level 3: [Admin] (1 phase)',
      ].join('\n'),
    );
  });

  it('lists the dependencies added by conflict resolution', () => {
    expect(formatLevels(resolveConflicts(makePlan(phases)))).toBe(
      [
        'Level 1: [Setup] (1 phase)',
        'Level 2: [Auth] (1 phase)',
        'Level 3: [Product Catalog] (1 phase)',
        'Level 4: [Admin] (1 phase)',
        '',
        'Dependencies added to resolve file conflicts (1):',
        '  - Phase 2 (Auth) and Phase 3 (Product Catalog) both plan to write src/routes.tsx; 3 now runs after 2',
      ].join('\n'),
    );
  });

  it('says when parallel execution is off', () => {
    expect(formatLevels(makePlan(phases, { parallel: false }))).toBe(
      [
        'Level 1: [Setup] (1 phase)',
        'Level 2: [Auth, Product Catalog] (2 phases)',
        'Level 3: [Admin] (1 phase)',
        '',
        'parallel is false: phases run one at a time, in topological order.',
      ].join('\n'),
    );
  });
});
