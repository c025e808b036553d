import { findConflicts, parsePlan, PlanError, resolveConflicts, type PlanProblem } from '../index';
import { mergeStrategyOf, regionsCreator } from './merge-checks';

const setup = { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['package.json', 'src/routes.tsx', '.env.example', '.gitignore'] };
const cart = { number: 2, name: 'Cart', dependencies: [1], plannedFiles: ['package.json', 'src/routes.tsx', '.env.example', 'src/pages/cart.tsx'] };
const search = { number: 3, name: 'Search', dependencies: [1], plannedFiles: ['package.json', 'src/routes.tsx', '.env.example', 'src/pages/search.tsx'] };
const declared = { 'package.json': 'json', '.env.example': 'lines', 'src/routes.tsx': 'regions' };

function planText(extra: Record<string, unknown>, phases: object[] = [setup, cart, search]): string {
  return JSON.stringify({ name: 'shop', phases, ...extra });
}

function problemsOf(text: string): PlanProblem[] {
  try {
    parsePlan(text, 'apps/shop/phases.json');
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error('expected parsePlan to throw');
}

describe('merge declarations in phases.json', () => {
  it('parses them with normalised paths, sorted, and adds no conflict edge for mergeable files', () => {
    const plan = parsePlan(planText({ merge: { ...declared, './.gitignore': 'lines' } }), 'phases.json');
    expect(plan.merge).toEqual({ '.env.example': 'lines', '.gitignore': 'lines', 'package.json': 'json', 'src/routes.tsx': 'regions' });
    expect(Object.keys(plan.merge!)).toEqual(['.env.example', '.gitignore', 'package.json', 'src/routes.tsx']);
    expect(findConflicts(plan)).toEqual([]);
    expect(resolveConflicts(plan).addedEdges).toEqual([]);
    expect(mergeStrategyOf(plan, 'package.json')).toBe('json');
    expect(mergeStrategyOf(plan, 'src/pages/cart.tsx')).toBeUndefined();
    expect(mergeStrategyOf(plan, 'constructor')).toBeUndefined();
    expect(regionsCreator(plan, 'src/routes.tsx')).toBe(1);
  });

  it('keeps owned files under the one-writer rule', () => {
    const plan = parsePlan(planText({ merge: { 'package.json': 'json' } }), 'phases.json');
    expect(findConflicts(plan).map((conflict) => conflict.file)).toEqual(['.env.example', 'src/routes.tsx']);
  });

  it('leaves the plan without a merge field when none is declared', () => {
    expect(parsePlan(planText({ merge: {} }), 'phases.json')).not.toHaveProperty('merge');
    expect(parsePlan(planText({}), 'phases.json')).not.toHaveProperty('merge');
  });

  it('reports an unknown strategy with its JSON path and the allowed ones', () => {
    expect(problemsOf(planText({ merge: { 'package.json': 'jsno', '.env.example': 3 } }))).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'merge[".env.example"]',
        message: 'Unknown merge strategy 3.',
        hint: 'Use one of: "json", "lines", "regions".',
      },
      {
        file: 'apps/shop/phases.json',
        path: 'merge["package.json"]',
        message: 'Unknown merge strategy "jsno".',
        hint: 'Did you mean "json"? Use one of: "json", "lines", "regions".',
      },
    ]);
    expect(problemsOf(planText({ merge: ['package.json'] }))[0]).toMatchObject({ path: 'merge', message: 'Expected an object, got an array.' });
  });

  it('reports a mergeable file that is also a shared context file', () => {
    const phases = [setup, cart, search, { number: 4, name: 'Docs', dependencies: [1], plannedFiles: ['docs/brand.md'] }];
    const problems = problemsOf(planText({ context: ['docs/brand.md'], merge: { 'docs/brand.md': 'lines' } }, phases));
    expect(problems.find((p) => p.path === 'merge["docs/brand.md"]')).toEqual({
      file: 'apps/shop/phases.json',
      path: 'merge["docs/brand.md"]',
      message: '"docs/brand.md" is a shared context file, which is read-only for every phase, so it cannot be merged.',
      hint: 'Remove it from "merge", or remove it from "context" and let phases add to it.',
    });
  });

  it.each([
    ['src/routes.tsx', 'json', '"src/routes.tsx" is not a JSON file (.json), but the "json" strategy parses it as JSON.', 'Use "regions" for source code'],
    ['.env.example', 'json', '".env.example" is not a JSON file (.json), but the "json" strategy parses it as JSON.', 'Use "lines" for a list of lines'],
    ['package.json', 'lines', '"package.json" is a JSON file: a union of its lines would break its structure.', 'Use "json"'],
    ['src/routes.tsx', 'lines', '"src/routes.tsx" is source code: merging it as a union of lines is a text merge, which can silently break it.', 'Use "regions"'],
    ['package.json', 'regions', '"package.json" is a JSON file, which has no comments for region markers.', 'Use "json"'],
  ])('reports %s merged as %s (a strategy that does not fit the file type)', (file, strategy, message, hint) => {
    const [problem] = problemsOf(planText({ merge: { [file]: strategy } }));
    expect(problem).toEqual({ file: 'apps/shop/phases.json', path: `merge[${JSON.stringify(file)}]`, message, hint: expect.stringContaining(hint) });
  });

  it('reports unsafe, duplicated and unplanned paths', () => {
    const problems = problemsOf(planText({ merge: { '../package.json': 'json', 'package.json': 'json', './package.json': 'json', 'src/Routes.tsx': 'regions', 'x.json': 'json', '': 'json' } }));
    expect(problems.map(({ path, message, hint }) => ({ path, message, hint }))).toEqual([
      { path: 'merge[""]', message: 'The file name is empty.', hint: 'Write an app-root-relative path, e.g. "package.json".' },
      { path: 'merge["../package.json"]', message: '"../package.json" contains a ".." segment and could leave the app root.', hint: 'Write a path inside the app root without "..".' },
      { path: 'merge["./package.json"]', message: '"package.json" is already declared at merge["package.json"].', hint: 'Remove the duplicate entry.' },
      {
        path: 'merge["src/Routes.tsx"]',
        message: 'No phase plans "src/Routes.tsx", so there is nothing to merge.',
        hint: 'Did you mean "src/routes.tsx"? Declare the path exactly as phases plan it.',
      },
      {
        path: 'merge["x.json"]',
        message: 'No phase plans "x.json", so there is nothing to merge.',
        hint: 'Add it to the plannedFiles of the phases that write it, or remove it from "merge".',
      },
    ]);
  });

  it('reports a regions file whose planners have no common creator, naming the phases and the dependency to add', () => {
    const phases = [
      { number: 1, name: 'Setup', plannedFiles: ['package.json'] },
      { number: 2, name: 'Shell', plannedFiles: ['src/routes.tsx'] },
      { number: 3, name: 'Cart', dependencies: [2], plannedFiles: ['src/routes.tsx'] },
      { number: 4, name: 'Search', dependencies: [1], plannedFiles: ['src/routes.tsx'] },
    ];
    expect(problemsOf(planText({ merge: { 'src/routes.tsx': 'regions' } }, phases))).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'merge["src/routes.tsx"]',
        message:
          '"src/routes.tsx" is merged as regions: the text outside its regions comes from the one phase that creates it, and every other phase that plans it must depend on that phase, but phase 4 does not depend on phase 2 (Shell) and no other planner comes before all the others.',
        hint: 'Add 2 to the dependencies of phase 4 (phases[3].dependencies), or let another phase that every planner depends on create the file.',
      },
    ]);
  });

  it('accepts a regions creator reached through other phases, and json or lines files without a common creator', () => {
    const phases = [
      { number: 1, name: 'Setup', plannedFiles: ['src/routes.tsx'] },
      { number: 2, name: 'Database', dependencies: [1], plannedFiles: ['package.json'] },
      { number: 3, name: 'Cart', dependencies: [2], plannedFiles: ['src/routes.tsx', 'package.json'] },
      { number: 4, name: 'Search', plannedFiles: ['package.json'] },
    ];
    const plan = parsePlan(planText({ merge: { 'src/routes.tsx': 'regions', 'package.json': 'json' } }, phases), 'phases.json');
    expect(regionsCreator(plan, 'src/routes.tsx')).toBe(1);
  });
});
