import { parsePlan, PlanError, type PlanProblem } from '../index';
import { SHARED_CONTEXT } from '../path-collisions';
import { checkMergeDeclarations, plannedMergeStrategies } from './merge-checks';

function problemsOf(plan: object): PlanProblem[] {
  try {
    parsePlan(JSON.stringify({ name: 'shop', ...plan }), 'apps/shop/phases.json');
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error('expected parsePlan to throw');
}

const phase = (number: number, plannedFiles: string[], dependencies: number[] = []) => ({ number, name: `P${number}`, dependencies, plannedFiles });

describe('merge declarations: the regions creator', () => {
  it('names the planner with the most dependents as the creator, and the one phase that does not depend on it', () => {
    // 3 has a dependent planner (4); 1, listed first, has none.
    const phases = [phase(1, ['src/routes.tsx']), phase(3, ['src/routes.tsx']), phase(4, ['src/routes.tsx'], [3])];
    expect(problemsOf({ merge: { 'src/routes.tsx': 'regions' }, phases })).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'merge["src/routes.tsx"]',
        message:
          '"src/routes.tsx" is merged as regions: the text outside its regions comes from the one phase that creates it, and every other phase that plans it must depend on that phase, but phase 1 does not depend on phase 3 (P3) and no other planner comes before all the others.',
        hint: 'Add 3 to the dependencies of phase 1 (phases[0].dependencies), or let another phase that every planner depends on create the file.',
      },
    ]);
  });

  it('takes the lowest-listed of equal planners as the creator, and names every phase that does not depend on it', () => {
    const phases = [phase(1, ['src/routes.tsx']), phase(2, ['src/routes.tsx']), phase(5, ['src/routes.tsx'])];
    expect(problemsOf({ merge: { 'src/routes.tsx': 'regions' }, phases })).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'merge["src/routes.tsx"]',
        message:
          '"src/routes.tsx" is merged as regions: the text outside its regions comes from the one phase that creates it, and every other phase that plans it must depend on that phase, but phase 2, phase 5 do not depend on phase 1 (P1) and no other planner comes before all the others.',
        hint: 'Add 1 to the dependencies of phase 2 (phases[1].dependencies), phase 5 (phases[2].dependencies), or let another phase that every planner depends on create the file.',
      },
    ]);
  });

  it('needs a creator from two planners on, and from one accepts any', () => {
    const two = [phase(1, ['src/a.ts']), phase(2, ['src/routes.tsx']), phase(3, ['src/routes.tsx'], [1])];
    expect(problemsOf({ merge: { 'src/routes.tsx': 'regions' }, phases: two }).map((p) => p.message)).toEqual([
      expect.stringContaining('but phase 3 does not depend on phase 2 (P2)'),
    ]);
    const one = [phase(1, ['src/a.ts']), phase(2, ['src/routes.tsx'], [1])];
    expect(parsePlan(JSON.stringify({ name: 'shop', merge: { 'src/routes.tsx': 'regions' }, phases: one }), 'phases.json').merge).toEqual({ 'src/routes.tsx': 'regions' });
  });
});

describe('merge declarations: what the schema cannot check', () => {
  it('checks only an object of declarations (the schema reports any other value)', () => {
    const occurrences = [{ path: 'package.json', owner: 1 }];
    for (const merge of ['package.json', 7, null, ['package.json'], undefined]) {
      expect(checkMergeDeclarations(merge, 'phases.json', occurrences as never)).toEqual([]);
    }
    expect(problemsOf({ merge: 'package.json', phases: [phase(1, ['package.json'])] })).toEqual([
      expect.objectContaining({ path: 'merge', message: expect.stringMatching(/^Expected an object/) }),
    ]);
  });

  it('suggests a planned file that differs only in case, before one with the same name in another folder', () => {
    const phases = [phase(1, ['lib/routes.tsx', 'src/routes.tsx', 'web/Config.json', 'api/config.json'])];
    expect(problemsOf({ merge: { 'src/Routes.tsx': 'regions', 'Config.JSON': 'json' }, phases }).map(({ path, hint }) => ({ path, hint }))).toEqual([
      { path: 'merge["Config.JSON"]', hint: 'Did you mean "api/config.json"? Declare the path exactly as phases plan it.' },
      { path: 'merge["src/Routes.tsx"]', hint: 'Did you mean "src/routes.tsx"? Declare the path exactly as phases plan it.' },
    ]);
  });

  it('suggests the same spelling whatever order the phases list them in', () => {
    for (const phases of [
      [phase(1, ['src/routes.tsx']), phase(2, ['src/Routes.tsx'])],
      [phase(1, ['src/Routes.tsx']), phase(2, ['src/routes.tsx'])],
    ]) {
      expect(problemsOf({ merge: { 'SRC/ROUTES.TSX': 'regions' }, phases }).find((p) => p.path === 'merge["SRC/ROUTES.TSX"]')?.hint).toBe(
        'Did you mean "src/Routes.tsx"? Declare the path exactly as phases plan it.',
      );
    }
  });

  it('never suggests a shared context file, which no phase may write', () => {
    const problems = problemsOf({ context: ['docs/notes.txt'], merge: { 'Docs/Notes.txt': 'lines' }, phases: [phase(1, ['src/a.ts'])] });
    expect(problems.find((p) => p.path === 'merge["Docs/Notes.txt"]')?.hint).toBe('Add it to the plannedFiles of the phases that write it, or remove it from "merge".');
    expect(
      checkMergeDeclarations({ 'Docs/Notes.txt': 'lines' }, 'phases.json', [
        { path: 'docs/notes.txt', owner: SHARED_CONTEXT },
        { path: 'src/a.ts', owner: 1 },
      ] as never),
    ).toEqual([
      { path: 'merge["Docs/Notes.txt"]', message: 'No phase plans "Docs/Notes.txt", so there is nothing to merge.', hint: 'Add it to the plannedFiles of the phases that write it, or remove it from "merge".' },
    ]);
  });
});

describe('plannedMergeStrategies', () => {
  it('gives the strategies of the mergeable files a phase plans, or nothing', () => {
    const plan = parsePlan(
      JSON.stringify({ name: 'shop', merge: { 'package.json': 'json', '.env.example': 'lines' }, phases: [phase(1, ['package.json', 'src/a.ts', '.env.example']), phase(2, ['src/b.ts'], [1])] }),
      'phases.json',
    );
    expect(plannedMergeStrategies(plan, plan.phases[0])).toEqual({ merge: { 'package.json': 'json', '.env.example': 'lines' } });
    expect(plannedMergeStrategies(plan, plan.phases[1])).toEqual({});
  });
});
