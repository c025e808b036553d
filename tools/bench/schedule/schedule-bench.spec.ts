import { compareRuns } from './compare';
import { renderGanttSvg } from './gantt-svg';
import { levelBarrierMakespan } from './level-barrier';
import { criticalPathPriority, listScheduleMakespan, nxPriority } from './list-schedule';
import { randomDag } from './random-dag';
import { seededDurations, seededRandom } from './random';
import { renderTable } from './table';
import type { PlanRunReport } from '../../../packages/nx-phases/src/report/run-report';

describe('levelBarrierMakespan', () => {
  it('runs each level in batches of k, each batch waiting for its slowest phase', () => {
    const ms = new Map([[1, 5], [2, 1], [3, 2], [4, 3], [5, 4], [6, 10]]);
    // level 1: [1] → 5; level 2: [2,3,4] → 3, then [5] → 4; level 3: [6] → 10
    expect(levelBarrierMakespan([[1], [2, 3, 4, 5], [6]], (n) => ms.get(n)!, 3)).toBe(22);
    expect(levelBarrierMakespan([[1], [2, 3, 4, 5], [6]], (n) => ms.get(n)!, 1)).toBe(25);
  });
});

describe('randomDag', () => {
  it('is the same DAG for the same seed and a different one for another seed', () => {
    expect(randomDag(50, 7)).toEqual(randomDag(50, 7));
    expect(randomDag(50, 7)).not.toEqual(randomDag(50, 8));
  });

  it('has one Setup root, dependencies on earlier phases only, and Polish depending on every sink', () => {
    const phases = randomDag(100, 100);
    expect(phases).toHaveLength(100);
    expect(phases.filter((p) => p.dependencies.length === 0).map((p) => p.name)).toEqual(['Setup']);
    for (const phase of phases) expect(phase.dependencies.every((d) => d < phase.number)).toBe(true);
    const polish = phases[phases.length - 1];
    const dependedOn = new Set(phases.flatMap((p) => p.dependencies));
    expect(phases.filter((p) => !dependedOn.has(p.number))).toEqual([polish]);
  });
});

describe('seeded durations', () => {
  it('are repeatable, in [1 s, 4 s] times the scale', () => {
    const a = seededDurations([1, 2, 3, 4, 5], 3, 0.5);
    expect(a).toEqual(seededDurations([1, 2, 3, 4, 5], 3, 0.5));
    for (const ms of a.values()) expect(ms >= 500 && ms <= 2000).toBe(true);
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });
});

describe('compareRuns and the table', () => {
  const planText = JSON.stringify({
    name: 'dag',
    phases: [
      { number: 1, name: 'Setup', plannedFiles: ['a.ts'] },
      { number: 2, name: 'B', dependencies: [1], plannedFiles: ['b.ts'] },
      { number: 3, name: 'C', dependencies: [1], plannedFiles: ['c.ts'] },
      { number: 4, name: 'D', dependencies: [1], plannedFiles: ['d.ts'] },
      { number: 5, name: 'E', dependencies: [1], plannedFiles: ['e.ts'] },
      { number: 6, name: 'Polish', dependencies: [2, 3, 4, 5], plannedFiles: ['f.ts'] },
    ],
  });
  const run = (makespanMs: number, durations: number[]) =>
    ({ plan: 'dag', parallel: 3, makespanMs, phases: durations.map((durationMs, i) => ({ number: i + 1, durationMs })) }) as unknown as PlanRunReport;

  it('computes the lower bound, the level-barrier schedule and sequential from the measured durations', () => {
    const comparison = compareRuns(planText, run(12_000, [1000, 1000, 1000, 1000, 4000, 1000]), run(6500, [1000, 1000, 1000, 1000, 4000, 1000]));
    expect(comparison).toEqual({
      plan: 'dag', phases: 6, levels: 3, widestLevel: 4, sequentialMs: 9000, criticalPathMs: 6000, lowerBoundMs: 6000,
      levelBarrierMs: 1000 + 1000 + 4000 + 1000, nxGreedyMs: 7000, criticalPathGreedyMs: 6000, makespanP1Ms: 12_000, makespanPkMs: 6500, parallel: 3,
    });
    const table = renderTable([comparison]);
    expect(table).toContain('| dag | 6 | 3 (4) | 9.0 | 12.0 | 6.5 | 6.0 | 1.083 ✓ | 1.85× | 1.38× | 7.0 | 0.929 ✗ | 7.0 | 6.0 |');
  });
});

describe('renderGanttSvg', () => {
  it('draws a row per phase coloured by level, with markers and a legend', () => {
    const svg = renderGanttSvg({
      title: 'shop <demo>',
      subtitle: 'makespan 3 s',
      bars: [
        { number: 2, name: 'Auth', level: 2, startMs: 1000, durationMs: 2000 },
        { number: 1, name: 'Setup', level: 1, startMs: 0, durationMs: 1000 },
      ],
      markers: [{ label: 'lower bound 3.0 s', ms: 3000 }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('shop &lt;demo&gt;');
    expect(svg.indexOf('1. Setup')).toBeLessThan(svg.indexOf('2. Auth'));
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="12" rx="2" fill="(#[0-9a-f]+)"/g)).toHaveLength(2);
    expect(svg).toContain('fill="#4e79a7"><title>1. Setup: level 1, 0.00–1.00 s</title>');
    expect(svg).toContain('fill="#f28e2b"><title>2. Auth: level 2, 1.00–3.00 s</title>');
    expect(svg).toContain('lower bound 3.0 s');
    expect(svg).toContain('>level 2</text>');
  });
});

describe('listScheduleMakespan', () => {
  // 1 → {2, 3, 4}; 2 → {7, 8} and 3 → {9, 10} are quick; 4 → 5 → 6 is the long chain.
  const phases = [
    { number: 1, dependencies: [], durationMs: 1 },
    { number: 2, dependencies: [1], durationMs: 2 },
    { number: 3, dependencies: [1], durationMs: 2 },
    { number: 4, dependencies: [1], durationMs: 5 },
    { number: 5, dependencies: [4], durationMs: 5 },
    { number: 6, dependencies: [5], durationMs: 5 },
    { number: 7, dependencies: [2], durationMs: 1 },
    { number: 8, dependencies: [2], durationMs: 1 },
    { number: 9, dependencies: [3], durationMs: 1 },
    { number: 10, dependencies: [3], durationMs: 1 },
  ];

  it('starts the critical chain first under critical-path priority, reaching the bound', () => {
    expect(listScheduleMakespan(phases, 1, criticalPathPriority(phases))).toBe(24);
    expect(listScheduleMakespan(phases, 2, criticalPathPriority(phases))).toBe(16);
  });

  it('follows Nx: more direct dependents first, which can delay the critical chain', () => {
    expect(listScheduleMakespan(phases, 1, nxPriority(phases))).toBe(24);
    // Nx starts 2 and 3 (two dependents each) before 4 (one); the chain then starts at 3 and ends at 18.
    expect(listScheduleMakespan(phases, 2, nxPriority(phases))).toBe(18);
  });
});
