import { findConflicts, formatLevels, resolveConflicts, topologicalOrder } from './index';
import { makePlan } from './test-utils/make-plan';
import { scrambled } from './test-utils/scrambled';

describe('findConflicts', () => {
  it('reports one record per concurrent pair sharing a file, across levels, sorted by file then phases', () => {
    const plan = makePlan([
      { number: 1, name: 'Setup', plannedFiles: ['src/App.tsx', 'src/routes.tsx'] },
      { number: 2, name: 'Database', dependencies: [1], plannedFiles: ['src/lib/db.ts'] },
      { number: 3, name: 'Auth', dependencies: [2], plannedFiles: ['src/App.tsx', 'src/routes.tsx'] },
      { number: 4, name: 'Docs', plannedFiles: ['./src//App.tsx'] },
      { number: 5, name: 'Admin', dependencies: [1], plannedFiles: ['src/App.tsx'] },
    ]);
    expect(findConflicts(plan)).toEqual([
      { file: 'src/App.tsx', phases: [1, 4] },
      { file: 'src/App.tsx', phases: [3, 4] },
      { file: 'src/App.tsx', phases: [3, 5] },
      { file: 'src/App.tsx', phases: [4, 5] },
    ]);
  });

  it('treats NFC and NFD spellings of one name as one file in plans built in memory', () => {
    const plan = makePlan([
      { number: 1, name: 'Menu', plannedFiles: ['caf\u00e9.txt'] },
      { number: 2, name: 'Bar', plannedFiles: [] },
    ]);
    // parsePlan rejects these spellings; an in-memory plan can still carry them.
    plan.phases[1].plannedFiles = ['cafe\u0301.txt'];
    expect(findConflicts(plan)).toEqual([{ file: 'caf\u00e9.txt', phases: [1, 2] }]);
    expect(resolveConflicts(plan).addedEdges.map(({ from, to }) => [from, to])).toEqual([[1, 2]]);
  });

  it('treats spellings that differ only in case as one file in plans built in memory', () => {
    const plan = makePlan([
      { number: 1, name: 'Setup', plannedFiles: ['src/App.tsx'] },
      { number: 2, name: 'Auth', plannedFiles: [] },
      { number: 3, name: 'Admin', plannedFiles: [] },
    ]);
    // parsePlan rejects these spellings; an in-memory plan can still carry them.
    plan.phases[1].plannedFiles = ['src/app.tsx'];
    plan.phases[2].plannedFiles = ['./SRC/APP.TSX', 'src/App.tsx'];
    expect(findConflicts(plan)).toEqual([
      { file: 'src/App.tsx', phases: [1, 2] },
      { file: 'src/App.tsx', phases: [1, 3] },
      { file: 'src/App.tsx', phases: [2, 3] },
    ]);
    const resolved = resolveConflicts(plan);
    expect(resolved.addedEdges.map(({ from, to, file }) => [from, to, file])).toEqual([
      [1, 2, 'src/App.tsx'],
      [2, 3, 'src/App.tsx'],
    ]);
    expect(findConflicts(resolved)).toEqual([]);
  });

  it('sorts by file name, not by which phase planned a file first, and lists each pair lower number first', () => {
    const plan = makePlan([
      { number: 1, name: 'Setup', plannedFiles: ['src/z.ts'] },
      { number: 2, name: 'Auth', plannedFiles: ['src/m.ts', 'src/z.ts'] },
      { number: 3, name: 'Admin', plannedFiles: ['src/a.ts', 'src/m.ts'] },
      { number: 4, name: 'Docs', plannedFiles: ['src/a.ts'] },
    ]);
    const expected = [
      { file: 'src/a.ts', phases: [3, 4] },
      { file: 'src/m.ts', phases: [2, 3] },
      { file: 'src/z.ts', phases: [1, 2] },
    ];
    expect(findConflicts(plan)).toEqual(expected);
    // The exported API also takes plans built in memory, listed in any order.
    for (const seed of [1, 2, 3, 4]) expect(findConflicts(scrambled(plan, seed))).toEqual(expected);
    expect(resolveConflicts(scrambled(plan, 2)).addedEdges.map(({ from, to, file }) => [from, to, file])).toEqual([
      [3, 4, 'src/a.ts'],
      [2, 3, 'src/m.ts'],
      [1, 2, 'src/z.ts'],
    ]);
  });

  it('never pairs a phase with itself when it lists one file in two spellings (a plan built in memory)', () => {
    const plan = makePlan([
      { number: 1, name: 'Setup', plannedFiles: ['src/App.tsx'] },
      { number: 2, name: 'Auth', plannedFiles: [] },
    ]);
    plan.phases[0].plannedFiles = ['src/App.tsx', './src/App.tsx', 'src/app.tsx'];
    expect(findConflicts(plan)).toEqual([]);
    plan.phases[1].plannedFiles = ['src/APP.tsx', 'src/App.tsx'];
    expect(findConflicts(plan)).toEqual([{ file: 'src/App.tsx', phases: [1, 2] }]);
    expect(resolveConflicts(plan).addedEdges.map(({ from, to }) => [from, to])).toEqual([[1, 2]]);
  });

  it('ignores files written by ordered phases (a later phase modifying an earlier file)', () => {
    const plan = makePlan([
      { number: 1, name: 'Setup', plannedFiles: ['src/App.tsx'] },
      { number: 9, name: 'Polish', dependencies: [1], plannedFiles: ['src/App.tsx'] },
    ]);
    expect(findConflicts(plan)).toEqual([]);
  });
});

describe('resolveConflicts', () => {
  const plan = makePlan([
    { number: 1, name: 'Setup', plannedFiles: ['package.json'] },
    { number: 3, name: 'Auth', dependencies: [1], plannedFiles: ['src/App.tsx', 'src/auth.ts'] },
    { number: 5, name: 'Admin', dependencies: [1], plannedFiles: ['src/App.tsx', 'src/routes.tsx'] },
    { number: 6, name: 'Catalog', dependencies: [1], plannedFiles: ['src/App.tsx', 'src/routes.tsx'] },
  ]);

  it('orders each conflicting pair lower → higher, chaining peers without redundant edges', () => {
    const resolved = resolveConflicts(plan);
    expect(resolved.addedEdges).toEqual([
      {
        from: 3,
        to: 5,
        file: 'src/App.tsx',
        reason: 'Phase 3 (Auth) and Phase 5 (Admin) both plan to write src/App.tsx; 5 now runs after 3',
      },
      {
        from: 5,
        to: 6,
        file: 'src/App.tsx',
        reason: 'Phase 5 (Admin) and Phase 6 (Catalog) both plan to write src/App.tsx; 6 now runs after 5',
      },
    ]);
    expect(resolved.phases.map((phase) => phase.dependencies)).toEqual([[], [1], [1, 3], [1, 5]]);
    expect(findConflicts(resolved)).toEqual([]);
    expect(topologicalOrder(resolved)).toEqual([1, 3, 5, 6]);
  });

  it('never mutates its input and returns an equal copy when there is nothing to resolve', () => {
    const before = JSON.stringify(plan);
    resolveConflicts(plan);
    expect(JSON.stringify(plan)).toBe(before);
    const clean = resolveConflicts(resolveConflicts(plan));
    expect(clean).toEqual(resolveConflicts(plan));
    expect(clean).not.toBe(plan);
  });

  it('adds the edge even when the lower-numbered phase sits on a deeper level', () => {
    const crossLevel = makePlan([
      { number: 1, name: 'Root' },
      { number: 2, name: 'Deep', dependencies: [1], plannedFiles: ['x.ts'] },
      { number: 3, name: 'Shallow', plannedFiles: ['x.ts'] },
    ]);
    const resolved = resolveConflicts(crossLevel);
    expect(resolved.addedEdges.map(({ from, to }) => [from, to])).toEqual([[2, 3]]);
    expect(formatLevels(resolved)).toBe(
      [
        'Level 1: [Root] (1 phase)',
        'Level 2: [Deep] (1 phase)',
        'Level 3: [Shallow] (1 phase)',
        '',
        'Dependencies added to resolve file conflicts (1):',
        '  - Phase 2 (Deep) and Phase 3 (Shallow) both plan to write x.ts; 3 now runs after 2',
      ].join('\n'),
    );
  });

  it('handles a phase depending on a higher number without creating a cycle', () => {
    const reversed = makePlan([
      { number: 2, name: 'Late', dependencies: [7], plannedFiles: ['a.ts'] },
      { number: 7, name: 'Early', plannedFiles: ['a.ts'] },
      { number: 8, name: 'Other', plannedFiles: ['a.ts'] },
    ]);
    const resolved = resolveConflicts(reversed);
    // 2 already depends on 7, so only 8 must be ordered after both 7 and 2.
    expect(resolved.addedEdges.map(({ from, to }) => [from, to])).toEqual([
      [7, 8],
      [2, 8],
    ]);
    expect(topologicalOrder(resolved)).toEqual([7, 2, 8]);
  });
});
