import { commandGenerator } from './phase-command';
import type { PhaseDocument } from './plan-file';
import type { Scenario } from './scenario';

/**
 * The failure tests' phases: 1 → {2 Broken (writes its planned file, then exits 1), 3 Sibling}, 2 → 4, 3 → 5.
 * `siblingSleepMs` slows phase 3, so that its dependent 5 starts only after phase 2 has failed.
 */
export function brittlePhases(scenario: Scenario, siblingSleepMs = 0): PhaseDocument[] {
  return [
    { number: 1, name: 'Setup', features: ['Shell'], plannedFiles: ['src/app.ts'] },
    { number: 2, name: 'Broken', features: ['Oops'], dependencies: [1], plannedFiles: ['src/broken.ts'], generator: commandGenerator(scenario.command({ fail: true })) },
    {
      number: 3,
      name: 'Sibling',
      features: ['Fine'],
      dependencies: [1],
      plannedFiles: ['src/sibling.ts'],
      ...(siblingSleepMs ? { generator: commandGenerator(scenario.command({ sleepMs: siblingSleepMs })) } : {}),
    },
    { number: 4, name: 'After Broken', features: ['Later'], dependencies: [2], plannedFiles: ['src/after-broken.ts'] },
    { number: 5, name: 'After Sibling', features: ['Later'], dependencies: [3], plannedFiles: ['src/after-sibling.ts'] },
  ];
}

/** What the app folder holds after the brittle phases ran with phase 2 failing: 1, 3 and 5 committed, nothing of 2 or 4. */
export const BRITTLE_SURVIVORS = [
  '.phases/1/files/src/app.ts',
  '.phases/1/inputs.sha256',
  '.phases/1/manifest.json',
  '.phases/3/files/src/sibling.ts',
  '.phases/3/inputs.sha256',
  '.phases/3/manifest.json',
  '.phases/5/files/src/after-sibling.ts',
  '.phases/5/inputs.sha256',
  '.phases/5/manifest.json',
  'phases.json',
  'src/after-sibling.ts',
  'src/app.ts',
  'src/sibling.ts',
];
