/** A three-phase `phases.json` document whose phases 2 and 3 both plan src/nav.ts: conflict resolution adds 3 → 2. */
export const NAV_CONFLICT_PLAN = {
  name: 'shop',
  phases: [
    { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['src/App.tsx'] },
    { number: 2, name: 'Auth', dependencies: [1], plannedFiles: ['src/auth.ts', 'src/nav.ts'] },
    { number: 3, name: 'Catalog', dependencies: [1], plannedFiles: ['src/catalog.ts', 'src/nav.ts'] },
  ],
};
