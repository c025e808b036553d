import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { missingContributions } from './check-merged';
import { demoPair, planFigures, routesPair } from './plans';
import { renderMergeTable, renderRatios, type VariantResult } from './table';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

describe('the 24-phase route plan', () => {
  const pair = routesPair(1);

  it('has Setup create the wiring files, every feature register a route and add a dependency, and Polish last', () => {
    const { phases } = pair.merged;
    expect(phases).toHaveLength(24);
    expect(phases[0].plannedFiles).toEqual(['package.json', 'src/routes.tsx', 'src/App.tsx']);
    for (const phase of phases.slice(1, -1)) {
      expect(phase.plannedFiles).toEqual([`src/pages/page-${phase.number}.tsx`, 'src/routes.tsx', 'package.json']);
      expect(phase.features).toContain(`json:dependencies.lib-${phase.number}=^1.0.0`);
    }
    expect(phases[23].plannedFiles).toEqual(['src/styles.css']);
    expect(pair.merged.merge).toEqual({ 'package.json': 'json', 'src/routes.tsx': 'regions' });
    expect(pair.owned.merge).toBeUndefined();
    expect(pair.owned.sleepMs).toEqual(pair.merged.sleepMs);
  });

  it('is a chain when the wiring files are owned, and keeps its own shape when they are mergeable', () => {
    const owned = planFigures(pair.owned, 3);
    const merged = planFigures(pair.merged, 3);
    expect(owned.criticalPathPhases).toBe(24);
    expect(owned.conflictEdges).toBeGreaterThan(0);
    expect(owned.simulatedMakespanMs).toBe(owned.totalSleepMs);
    expect(merged.conflictEdges).toBe(0);
    expect(merged.criticalPathPhases).toBeLessThan(24);
    expect(merged.totalSleepMs).toBe(owned.totalSleepMs);
    expect(merged.simulatedMakespanMs).toBeGreaterThanOrEqual(merged.totalSleepMs / 3);
    expect(merged.simulatedMakespanMs).toBeLessThan(owned.simulatedMakespanMs);
  });
});

describe('the demo pair', () => {
  it('uses the demo plan with its own merge declaration, and keeps only the star-rating conflict when merged', () => {
    const pair = demoPair(REPO_ROOT, 1);
    expect(pair.merged.merge).toEqual({ 'package.json': 'json', '.env.example': 'lines', 'src/routes.tsx': 'regions' });
    expect(pair.owned.merge).toBeUndefined();
    expect(pair.owned.phases).toBe(pair.merged.phases);
    expect(pair.merged.phases.filter((p) => p.plannedFiles.includes('src/routes.tsx')).length).toBeGreaterThanOrEqual(5);
    expect(planFigures(pair.merged, 3).conflictEdges).toBe(1);
    expect(planFigures(pair.owned, 3).conflictEdges).toBeGreaterThan(1);
  });
});

describe('missingContributions', () => {
  const workload = {
    name: 'w',
    merge: { 'package.json': 'json', '.env.example': 'lines', 'src/routes.tsx': 'regions' },
    sleepMs: new Map(),
    phases: [
      { number: 1, name: 'Setup', dependencies: [], plannedFiles: ['package.json', '.env.example', 'src/routes.tsx'] },
      { number: 2, name: 'Cart Page', dependencies: [1], plannedFiles: ['package.json', '.env.example', 'src/routes.tsx'] },
    ],
  };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'merge-bench-'));
    mkdirSync(join(dir, 'src'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is empty when every planner’s entry is in every merged file', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ phases: { p1: 'Setup', p2: 'Cart Page' } }));
    writeFileSync(join(dir, '.env.example'), 'PHASE_1=Setup\nPHASE_2=Cart Page\n');
    writeFileSync(join(dir, 'src/routes.tsx'), 'export const entries = {\n  p1: "Setup",\n  p2: "Cart Page",\n};\n');
    expect(missingContributions(dir, workload)).toEqual([]);
  });

  it('names each lost entry, and every entry of a missing file', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ phases: { p1: 'Setup' } }));
    writeFileSync(join(dir, '.env.example'), 'PHASE_2=Cart Page\n');
    expect(missingContributions(dir, workload)).toEqual([
      'package.json: phases.p2',
      '.env.example: PHASE_1=Setup',
      'src/routes.tsx: p1: "Setup",',
      'src/routes.tsx: p2: "Cart Page",',
    ]);
  });
});

describe('the table', () => {
  const figures = (conflictEdges: number, criticalPathPhases: number, simulatedMakespanMs: number) => ({
    phases: 4, conflictEdges, criticalPathPhases, totalSleepMs: 8000, simulatedMakespanMs,
  });
  const rows: VariantResult[] = [
    { plan: 'p', files: 'owned', figures: figures(3, 4, 8000), measured: { makespanMs: 10_000, wallMs: 12_500 } },
    { plan: 'p', files: 'mergeable', figures: figures(0, 2, 4000), measured: { makespanMs: 5000, wallMs: 7000 } },
  ];

  it('has one row per variant and the mergeable / owned ratios', () => {
    const table = renderMergeTable(rows, 3);
    expect(table).toContain('| p | owned | 4 | 3 | 4 | 8.0 | 10.0 | 12.5 | 8.0 |');
    expect(table).toContain('| p | mergeable | 4 | 0 | 2 | 8.0 | 5.0 | 7.0 | 4.0 |');
    expect(renderRatios(rows)).toBe('p: mergeable / owned makespan 0.50 measured, 0.50 simulated; critical path 4 → 2 phases');
  });

  it('shows a dash for what did not run', () => {
    const staticRows = rows.map(({ measured: _measured, ...row }) => row);
    expect(renderMergeTable(staticRows, 3)).toContain('| p | owned | 4 | 3 | 4 | 8.0 | – | – | 8.0 |');
    expect(renderRatios(staticRows)).toBe('p: mergeable / owned makespan 0.50 simulated; critical path 4 → 2 phases');
  });
});
