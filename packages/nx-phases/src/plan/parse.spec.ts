import { PlanError, parsePlan, phaseJsonPaths } from './index';
import type { PlanProblem } from './index';

/** A minimal valid phase list, extended per test. */
const setup = { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['package.json', 'src/App.tsx'] };

function planText(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'shop', phases: [setup], ...overrides }, null, 2);
}

function problemsOf(text: string, fileName = 'apps/shop/phases.json'): PlanProblem[] {
  try {
    parsePlan(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as PlanError).problems;
  }
  throw new Error('expected parsePlan to throw');
}

function pathsOf(text: string): string[] {
  return problemsOf(text).map((problem) => problem.path);
}

describe('parsePlan: valid plans and defaults', () => {
  it('applies every default and sorts phases and dependencies', () => {
    const plan = parsePlan(
      JSON.stringify({
        $schema: '../../node_modules/nx-phases/schemas/phases.schema.json',
        name: 'shop',
        phases: [
          { number: 3, name: 'Auth', domain: 'auth', dependencies: [2, 1, 2] },
          { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['./package.json', 'src//App.tsx'] },
          { number: 2, name: 'Database', domain: 'database', dependencies: [1] },
        ],
      }),
      'phases.json',
    );
    expect(plan).toEqual({
      name: 'shop',
      generator: { use: 'nx-phases:scaffold', options: {} },
      parallel: true,
      rateLimit: { maxConcurrentRequests: 3, minDelayBetweenMs: 100, requestsPerMinute: 50 },
      context: [],
      phases: [
        {
          number: 1,
          name: 'Setup',
          domain: 'setup',
          description: '',
          features: [],
          dependencies: [],
          plannedFiles: ['package.json', 'src/App.tsx'],
          predictedFiles: false,
        },
        {
          number: 2,
          name: 'Database',
          domain: 'database',
          description: '',
          features: [],
          dependencies: [1],
          plannedFiles: ['prisma/schema.prisma', 'src/lib/db.ts', 'src/types/models.ts'],
          predictedFiles: true,
        },
        {
          number: 3,
          name: 'Auth',
          domain: 'auth',
          description: '',
          features: [],
          dependencies: [1, 2],
          plannedFiles: ['src/auth/AuthContext.tsx', 'src/auth/useAuth.ts', 'src/pages/login.tsx'],
          predictedFiles: true,
        },
      ],
      addedEdges: [],
    });
  });

  it('merges a partial rateLimit over the defaults and keeps tokensPerMinute', () => {
    const plan = parsePlan(planText({ rateLimit: { requestsPerMinute: 10, tokensPerMinute: 9000 } }), 'phases.json');
    expect(plan.rateLimit).toEqual({
      maxConcurrentRequests: 3,
      minDelayBetweenMs: 100,
      requestsPerMinute: 10,
      tokensPerMinute: 9000,
    });
  });

  it('keeps the plan budget maxCostUsd, and reports a bad one at its path', () => {
    expect(parsePlan(planText({ maxCostUsd: 2.5 }), 'phases.json').maxCostUsd).toBe(2.5);
    expect(parsePlan(planText({}), 'phases.json')).not.toHaveProperty('maxCostUsd');
    expect(problemsOf(planText({ maxCostUsd: '5' }))).toMatchObject([{ path: 'maxCostUsd', message: 'Expected a number, got the string "5".' }]);
    expect(problemsOf(planText({ maxCostUsd: -1 }))).toMatchObject([{ path: 'maxCostUsd' }]);
  });

  it('reports bad price overrides in the generator options at their JSON path, with a did-you-mean, before anything runs', () => {
    const openai = (prices: unknown) => ({ use: 'nx-phases:openai', options: { model: 'gpt-4.1-mini', prices } });
    const message = (error: unknown) => (error as Error).message;
    let thrown: unknown;
    try {
      parsePlan(planText({ generator: openai({ 'gpt-4.1-mini': { inputPerToken: 4e-7, outputPerTokn: 1.6e-6 } }) }), 'apps/shop/phases.json');
    } catch (error) {
      thrown = error;
    }
    expect(message(thrown)).toContain(
      'apps/shop/phases.json: generator.options.prices["gpt-4.1-mini"].outputPerTokn: Unknown field "outputPerTokn". Fix: Did you mean "outputPerToken"?',
    );
    expect(message(thrown)).toContain('generator.options.prices["gpt-4.1-mini"].outputPerToken: Required field "outputPerToken" is missing.');
    const phase = { ...setup, generator: openai({ m: { inputPerToken: '0.1', outputPerToken: -2 } }) };
    expect(problemsOf(planText({ phases: [phase] })).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'phases[0].generator.options.prices.m.inputPerToken: Expected a number, got the string "0.1".',
      expect.stringMatching(/^phases\[0\]\.generator\.options\.prices\.m\.outputPerToken: Must be at least 0/),
    ]);
  });

  it('resolves plan and phase generators, string or object form', () => {
    const plan = parsePlan(
      planText({
        generator: { use: '@my-org/tools:phase', options: { model: 'x' } },
        parallel: false,
        context: ['./src/theme.ts'],
        phases: [{ ...setup, generator: 'nx-phases:scaffold' }, { number: 2, name: 'Other', plannedFiles: [] }],
      }),
      'phases.json',
    );
    expect(plan.generator).toEqual({ use: '@my-org/tools:phase', options: { model: 'x' } });
    expect(plan.phases[0].generator).toEqual({ use: 'nx-phases:scaffold', options: {} });
    expect('generator' in plan.phases[1]).toBe(false);
    expect(plan.phases[1].domain).toBe('feature');
    expect(plan.phases[1].plannedFiles).toEqual([]);
    expect(plan.phases[1].predictedFiles).toBe(false);
    expect(plan.parallel).toBe(false);
    expect(plan.context).toEqual(['src/theme.ts']);
  });

  it('accepts a byte-order mark', () => {
    expect(parsePlan(`\uFEFF${planText()}`, 'phases.json').name).toBe('shop');
  });
});

describe('parsePlan: invalid JSON', () => {
  it.each([
    ['{\n  "name": "shop",\n  "phases": [],\n}', 4, 1, "Expected a double-quoted property name but found '}'."],
    ['{\n  "name": \n}', 3, 1, "Unexpected '}'; expected a value."],
    ['{"name": "shop"', 1, 16, "Unexpected end of input; expected ',' or '}'."],
    ['', 1, 1, 'Unexpected end of input; expected a value.'],
    ['{"name": "sh\nop"}', 1, 13, 'Unescaped control character (such as a line break) inside a string.'],
    ['{"a": 1} x', 1, 10, "Unexpected 'x' after the end of the JSON document."],
    ['// comment\n{}', 1, 1, 'Comments are not allowed in JSON.'],
    ['{"a": [1,\n  {"b": 2}', 2, 11, "Unexpected end of input; expected ',' or ']'."],
    ['{"a": 1,\u00a0"b": 2}', 1, 9, "Expected a double-quoted property name but found character U+00A0."],
  ])('reports %j at line %i, column %i', (text, line, column, detail) => {
    const problems = problemsOf(text, 'phases.json');
    expect(problems).toEqual([
      {
        file: 'phases.json',
        path: '(root)',
        message: `Invalid JSON at line ${line}, column ${column}: ${detail}`,
        hint: `Fix the JSON syntax at phases.json:${line}:${column} (JSON allows no comments and no trailing commas).`,
        line,
        column,
      },
    ]);
  });
});

describe('parsePlan: schema violations', () => {
  it('reports a document that is not an object at (root)', () => {
    expect(problemsOf('[]')).toMatchObject([{ path: '(root)', message: 'Expected an object, got an array.' }]);
  });

  it('reports missing required fields at the missing field', () => {
    expect(pathsOf(JSON.stringify({ phases: [{ name: 'x' }] }))).toEqual(['name', 'phases[0].number']);
  });

  it('reports wrong types with the exact path, ordered by path', () => {
    const text = planText({
      parallel: 'yes',
      rateLimit: { maxConcurrentRequests: '3' },
      phases: [{ ...setup, dependencies: ['1'], features: 'Login', plannedFiles: [7] }],
    });
    expect(problemsOf(text)).toMatchObject([
      { path: 'parallel', message: 'Expected a boolean, got the string "yes".', hint: 'Write true or false without quotes.' },
      { path: 'phases[0].dependencies[0]', message: 'Expected an integer, got the string "1".' },
      { path: 'phases[0].features', message: 'Expected an array, got the string "Login".' },
      { path: 'phases[0].plannedFiles[0]', message: 'Expected a string, got the number 7.' },
      { path: 'rateLimit.maxConcurrentRequests', message: 'Expected an integer, got the string "3".' },
    ]);
  });

  it('reports unknown keys with a suggestion, but allows $schema at the top level', () => {
    const text = planText({ $schema: './schema.json', phase: [], phases: [{ ...setup, plannedFile: [], $schema: 'x' }] });
    expect(problemsOf(text)).toMatchObject([
      { path: 'phase', message: 'Unknown field "phase".', hint: expect.stringContaining('Did you mean "phases"?') },
      { path: 'phases[0].$schema', hint: expect.stringMatching(/^Remove it\. Allowed fields: number, name,/) },
      { path: 'phases[0].plannedFile', hint: expect.stringContaining('Did you mean "plannedFiles"?') },
    ]);
  });

  it('reports a bad plan name', () => {
    expect(problemsOf(planText({ name: 'My Shop' }))).toMatchObject([
      {
        path: 'name',
        message: '"My Shop" does not match the pattern ^[a-z][a-z0-9-]*$.',
        hint: 'Use lowercase letters, digits and hyphens, starting with a letter, e.g. "my-shop".',
      },
    ]);
  });

  it('reports bad generator references in every form', () => {
    const text = planText({
      generator: 'scaffold',
      phases: [
        { ...setup, generator: { use: 'nx-phases:openai', option: {} } },
        { number: 2, name: 'B', generator: 42, plannedFiles: [] },
        { number: 3, name: 'C', generator: { options: {} }, plannedFiles: [] },
        { number: 4, name: 'D', generator: { use: '@Org/x:y' }, plannedFiles: [] },
      ],
    });
    expect(problemsOf(text)).toMatchObject([
      { path: 'generator', hint: 'Did you mean "nx-phases:scaffold"? Use "<package>:<generator>", e.g. "nx-phases:scaffold" or "@my-org/tools:phase".' },
      { path: 'phases[0].generator.option', message: 'Unknown field "option".' },
      { path: 'phases[1].generator', message: 'Expected a string or an object, got the number 42.' },
      { path: 'phases[2].generator.use', message: 'Required field "use" is missing.' },
      { path: 'phases[3].generator.use', message: expect.stringContaining('"@Org/x:y" does not match') },
    ]);
  });

  it('accepts scoped and unscoped generator references', () => {
    for (const use of ['nx-phases:scaffold', '@nx/js:library', '@my-org/tools.x:phase_2']) {
      expect(parsePlan(planText({ generator: use }), 'phases.json').generator.use).toBe(use);
    }
  });

  it('reports numbers below the minimum and empty strings', () => {
    const text = planText({ phases: [{ ...setup, number: 0, name: '', plannedFiles: [''] }] });
    expect(problemsOf(text)).toMatchObject([
      { path: 'phases[0].name', message: 'Must not be empty.' },
      { path: 'phases[0].number', message: 'Must be at least 1, got the number 0.' },
      { path: 'phases[0].plannedFiles[0]', message: 'Must not be empty.' },
    ]);
  });
});

describe('parsePlan: plan semantics', () => {
  it('reports an empty plan', () => {
    expect(problemsOf(planText({ phases: [] }))).toMatchObject([{ path: 'phases', message: 'The plan has no phases.' }]);
  });

  it('reports duplicate phase numbers at the later occurrence', () => {
    const text = planText({ phases: [setup, { number: 2, name: 'B' }, { number: 1, name: 'Again' }] });
    expect(problemsOf(text)).toMatchObject([
      { path: 'phases[2].number', message: 'Phase number 1 is already used by phases[0].', hint: expect.stringContaining('e.g. 3') },
    ]);
  });

  it('reports unknown and self dependencies at the dependency', () => {
    const text = planText({ phases: [setup, { number: 2, name: 'Auth', dependencies: [1, 7, 2] }] });
    expect(problemsOf(text)).toMatchObject([
      { path: 'phases[1].dependencies[1]', message: 'Phase 2 (Auth) depends on phase 7, which does not exist.' },
      { path: 'phases[1].dependencies[2]', message: 'Phase 2 (Auth) depends on itself.' },
    ]);
  });

  it('reports a dependency cycle as a path starting at its lowest number', () => {
    const text = planText({
      phases: [
        setup,
        { number: 5, name: 'Admin', dependencies: [4] },
        { number: 3, name: 'Auth', dependencies: [1, 5] },
        { number: 4, name: 'Catalog', dependencies: [3] },
      ],
    });
    expect(problemsOf(text)).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'phases[2].dependencies[1]',
        message: 'Dependency cycle: 3 depends on 5, 5 depends on 4 and 4 depends on 3; these phases can never start.',
        hint: 'Remove one dependency of the cycle, most likely phase 3 (Auth) depending on the later phase 5 (Admin).',
      },
    ]);
  });

  it('reports each independent cycle once, with the shortest path', () => {
    const text = planText({
      phases: [
        { number: 1, name: 'A', dependencies: [2] },
        { number: 2, name: 'B', dependencies: [1, 3] },
        { number: 3, name: 'C', dependencies: [1] },
        { number: 7, name: 'D', dependencies: [8] },
        { number: 8, name: 'E', dependencies: [7] },
      ],
    });
    expect(problemsOf(text).map((problem) => problem.message)).toEqual([
      'Dependency cycle: 1 depends on 2 and 2 depends on 1; these phases can never start.',
      'Dependency cycle: 7 depends on 8 and 8 depends on 7; these phases can never start.',
    ]);
  });

  it.each([
    ['/etc/passwd', 'is an absolute path.'],
    ['C:/app/x.ts', 'is an absolute path.'],
    ['src/../../x.ts', 'contains a ".." segment and could leave the app root.'],
    ['src\\App.tsx', 'contains a backslash.'],
    ['src/a\u0000.ts', 'contains a NUL character.'],
    ['.git/config', 'points into .git/, which phases may not touch.'],
    ['packages/x/node_modules/y.js', 'points into node_modules/, which phases may not touch.'],
    ['./.phases/3/manifest.json', 'points into a .phases/ folder, where nx-phases keeps per-phase records (reserved at any depth).'],
    ['inner/.Phases/1/manifest.json', 'points into a .phases/ folder, where nx-phases keeps per-phase records (reserved at any depth).'],
    ['./phases.json', 'is the plan file itself.'],
    ['web/phases.json', 'is named phases.json, which nx-phases reserves for plans: a file with that name anywhere becomes a new plan.'],
    ['.nx/workspace-data/project-graph.json', 'points into .nx/, which phases may not touch.'],
    ['src/', 'does not name a file.'],
  ])('rejects the planned file %j', (file, message) => {
    const text = planText({ phases: [{ ...setup, plannedFiles: ['src/ok.ts', file] }] });
    expect(problemsOf(text)).toMatchObject([
      { path: 'phases[0].plannedFiles[1]', message: `${JSON.stringify(file)} ${message}` },
    ]);
  });

  it('rejects a domain outside the fixed set with a "did you mean", never mapping it silently', () => {
    const allowed = 'Use one of: "setup", "database", "auth", "api", "feature", "admin", "polish", "testing".';
    const text = planText({
      phases: [setup, { number: 2, name: 'B', domain: 'features', plannedFiles: [] }, { number: 3, name: 'C', domain: 'Setup', plannedFiles: [] }, { number: 4, name: 'D', domain: 'payments', plannedFiles: [] }],
    });
    expect(problemsOf(text)).toEqual([
      { file: 'apps/shop/phases.json', path: 'phases[1].domain', message: 'Unknown domain "features".', hint: `Did you mean "feature"? ${allowed}` },
      { file: 'apps/shop/phases.json', path: 'phases[2].domain', message: 'Unknown domain "Setup".', hint: `Did you mean "setup"? ${allowed}` },
      { file: 'apps/shop/phases.json', path: 'phases[3].domain', message: 'Unknown domain "payments".', hint: allowed },
    ]);
  });

  it('reserves .phases at any depth, in planned files and context alike, with the fix', () => {
    const text = planText({ context: ['docs/.phases/x.md'], phases: [{ ...setup, plannedFiles: ['inner/.phases/1/manifest.json'] }] });
    expect(problemsOf(text)).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'context[0]',
        message: '"docs/.phases/x.md" points into a .phases/ folder, where nx-phases keeps per-phase records (reserved at any depth).',
        hint: 'Choose a path without a .phases folder in it.',
      },
      {
        file: 'apps/shop/phases.json',
        path: 'phases[0].plannedFiles[0]',
        message: '"inner/.phases/1/manifest.json" points into a .phases/ folder, where nx-phases keeps per-phase records (reserved at any depth).',
        hint: 'Choose a path without a .phases folder in it.',
      },
    ]);
  });

  it('checks context paths too, and duplicates within context', () => {
    const text = planText({ context: ['src/theme.ts', '../secrets.env', './src/theme.ts'] });
    expect(pathsOf(text)).toEqual(['context[1]', 'context[2]']);
  });

  it('reports the same file twice in one phase after normalisation', () => {
    const text = planText({ phases: [{ ...setup, plannedFiles: ['src/App.tsx', './src//App.tsx'] }] });
    expect(problemsOf(text)).toMatchObject([
      {
        path: 'phases[0].plannedFiles[1]',
        message: '"./src//App.tsx" (normalised "src/App.tsx") is already listed at phases[0].plannedFiles[0].',
      },
    ]);
  });

  it('reports a planned file that is a shared context file, listed or predicted', () => {
    const text = planText({
      context: ['src/App.tsx'],
      phases: [setup, { number: 2, name: 'Polish', domain: 'polish' }],
    });
    expect(problemsOf(text)).toMatchObject([
      { path: 'phases[0].plannedFiles[1]', message: '"src/App.tsx" is a shared context file, which is read-only for every phase.' },
      { path: 'phases[1].plannedFiles', message: expect.stringContaining('its predicted file "src/App.tsx" is a shared context file') },
    ]);
  });

  it('collects every problem of every kind in one throw', () => {
    const text = planText({
      name: 'Bad Name',
      extra: true,
      context: ['/abs'],
      phases: [
        { ...setup, plannedFiles: ['../x', 'a.ts', 'a.ts'], dependencies: [9] },
        { number: 1, name: 'Dup' },
        { number: 2, name: 'A', dependencies: [3] },
        { number: 3, name: 'B', dependencies: [2, 3] },
        { number: 'four', name: 'C' },
      ],
    });
    expect(pathsOf(text)).toEqual([
      'context[0]',
      'extra',
      'name',
      'phases[0].dependencies[0]',
      'phases[0].plannedFiles[0]',
      'phases[0].plannedFiles[2]',
      'phases[1].number',
      'phases[2].dependencies[0]',
      'phases[3].dependencies[1]',
      'phases[4].number',
    ]);
  });

  it('renders a readable message: a count line, then one line per problem', () => {
    const text = planText({ name: 'X', phases: [{ ...setup, dependencies: [2] }] });
    expect(() => parsePlan(text, 'apps/shop/phases.json')).toThrow(
      [
        'Invalid phase plan: 2 problems found.',
        'apps/shop/phases.json: name: "X" does not match the pattern ^[a-z][a-z0-9-]*$. Fix: Use lowercase letters, digits and hyphens, starting with a letter, e.g. "my-shop".',
        'apps/shop/phases.json: phases[0].dependencies[0]: Phase 1 (Setup) depends on phase 2, which does not exist. Fix: Remove 2 from the dependencies or add a phase with "number": 2.',
      ].join('\n'),
    );
  });
});

describe('parsePlan: paths that collide on disk', () => {
  const phase = (number: number, name: string, plannedFiles?: string[]) => ({ number, name, plannedFiles });

  it('reports every path that uses another phase\'s planned file as a folder, wherever the file is listed', () => {
    const text = planText({
      phases: [setup, phase(3, 'Util', ['lib/x.ts', 'src/ok.ts', 'lib/y/z.ts']), phase(2, 'Lib', ['lib'])],
    });
    expect(problemsOf(text)).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'phases[1].plannedFiles[0]',
        message: '"lib/x.ts" uses "lib" as a folder, but phase 2 (Lib) plans "lib" as a file (phases[2].plannedFiles[0]).',
        hint: 'Rename one of them: "lib" (phases[2].plannedFiles[0]) or "lib/x.ts"; a path cannot be both a file and a folder.',
      },
      {
        file: 'apps/shop/phases.json',
        path: 'phases[1].plannedFiles[2]',
        message: '"lib/y/z.ts" uses "lib" as a folder, but phase 2 (Lib) plans "lib" as a file (phases[2].plannedFiles[0]).',
        hint: 'Rename one of them: "lib" (phases[2].plannedFiles[0]) or "lib/y/z.ts"; a path cannot be both a file and a folder.',
      },
    ]);
  });

  it('checks context against planned files in both directions, and paths within one list', () => {
    const text = planText({
      context: ['docs/brand.md', 'lib/readme.md', 'assets', 'assets/logo.svg'],
      phases: [setup, phase(2, 'Docs', ['docs/brand.md/x.ts', 'lib', 'src/App.tsx/y.ts'])],
    });
    expect(problemsOf(text)).toMatchObject([
      {
        path: 'context[1]',
        message: '"lib/readme.md" uses "lib" as a folder, but phase 2 (Docs) plans "lib" as a file (phases[1].plannedFiles[1]).',
      },
      {
        path: 'context[3]',
        message: '"assets/logo.svg" uses "assets" as a folder, but "assets" is a shared context file (context[2]).',
        hint: 'Rename one of them: "assets" (context[2]) or "assets/logo.svg"; a path cannot be both a file and a folder.',
      },
      {
        path: 'phases[1].plannedFiles[0]',
        message: '"docs/brand.md/x.ts" uses "docs/brand.md" as a folder, but "docs/brand.md" is a shared context file (context[0]).',
      },
      {
        path: 'phases[1].plannedFiles[2]',
        message: '"src/App.tsx/y.ts" uses "src/App.tsx" as a folder, but phase 1 (Setup) plans "src/App.tsx" as a file (phases[0].plannedFiles[1]).',
      },
    ]);
  });

  it('compares file/folder overlaps case-insensitively and includes predicted files', () => {
    const text = planText({
      phases: [setup, phase(2, 'Lib', ['Lib', 'src/pages/home.tsx/x.ts']), phase(3, 'Util', ['lib/x.ts']), phase(4, 'Home')],
    });
    expect(problemsOf(text)).toMatchObject([
      { path: 'phases[1].plannedFiles[1]', message: expect.stringContaining('uses "src/pages/home.tsx" as a folder, but phase 4 (Home) plans "src/pages/home.tsx" as a file (predicted for phases[3].plannedFiles).') },
      { path: 'phases[2].plannedFiles[0]', message: '"lib/x.ts" uses "lib" as a folder, but phase 2 (Lib) plans "Lib" as a file (phases[1].plannedFiles[0]).' },
    ]);
  });

  it('reports files that differ only in case within a phase, across phases and against context', () => {
    const text = planText({
      context: ['src/Theme.ts'],
      phases: [
        { ...setup, plannedFiles: ['src/App.tsx', 'src/app.tsx'] },
        phase(2, 'Auth', ['SRC/APP.TSX', 'src/theme.ts', 'src/App.tsx']),
      ],
    });
    expect(problemsOf(text)).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'phases[0].plannedFiles[1]',
        message: '"src/app.tsx" differs only in case from "src/App.tsx" (phases[0].plannedFiles[0]); use one spelling.',
        hint: 'macOS and Windows treat both as the same file: write "src/App.tsx" everywhere in the plan.',
      },
      {
        file: 'apps/shop/phases.json',
        path: 'phases[1].plannedFiles[0]',
        message: '"SRC/APP.TSX" differs only in case from "src/App.tsx" (phases[0].plannedFiles[0]); use one spelling.',
        hint: 'macOS and Windows treat both as the same file: write "src/App.tsx" everywhere in the plan.',
      },
      {
        file: 'apps/shop/phases.json',
        path: 'phases[1].plannedFiles[1]',
        message: '"src/theme.ts" differs only in case from "src/Theme.ts" (context[0]); use one spelling.',
        hint: 'macOS and Windows treat both as the same file: write "src/Theme.ts" everywhere in the plan.',
      },
    ]);
  });

  it('reports folders that differ only in case, and predicted files that differ only in case', () => {
    const text = planText({
      phases: [
        setup,
        phase(2, 'Ui', ['src/Components/header.tsx']),
        phase(3, 'Shop', ['src/components/cart.tsx', 'src/auth/authContext.tsx']),
        { number: 4, name: 'Login', domain: 'auth' },
      ],
    });
    expect(problemsOf(text)).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'phases[2].plannedFiles[0]',
        message:
          '"src/components/cart.tsx" uses the folder "src/components", which differs only in case from "src/Components" in "src/Components/header.tsx" (phases[1].plannedFiles[0]); use one spelling.',
        hint: 'macOS and Windows treat both as the same folder: write "src/Components" everywhere in the plan.',
      },
      {
        file: 'apps/shop/phases.json',
        path: 'phases[3].plannedFiles',
        message:
          'The predicted file "src/auth/AuthContext.tsx" differs only in case from "src/auth/authContext.tsx" (phases[2].plannedFiles[1]); use one spelling.',
        hint:
          'macOS and Windows treat both as the same file: write "src/auth/authContext.tsx" everywhere in the plan. This phase has no plannedFiles; list them explicitly to choose other names.',
      },
    ]);
  });

  it('reports files and folders that differ only in Unicode normalization (NFC/NFD), as on macOS', () => {
    const text = planText({
      phases: [setup, phase(2, 'Menu', ['src/caf\u00e9.txt', 'docs/r\u00e9sum\u00e9/a.md']), phase(3, 'Bar', ['src/cafe\u0301.txt', 'docs/re\u0301sume\u0301/b.md', 'src/CAFE\u0301.TXT'])],
    });
    expect(problemsOf(text)).toEqual([
      {
        file: 'apps/shop/phases.json',
        path: 'phases[2].plannedFiles[0]',
        message: `${JSON.stringify('src/cafe\u0301.txt')} differs only in Unicode normalization (NFC/NFD) from ${JSON.stringify('src/caf\u00e9.txt')} (phases[1].plannedFiles[0]); use one spelling.`,
        hint: `macOS treats both as the same file: write ${JSON.stringify('src/caf\u00e9.txt')} everywhere in the plan.`,
      },
      {
        file: 'apps/shop/phases.json',
        path: 'phases[2].plannedFiles[1]',
        message: expect.stringContaining('which differs only in Unicode normalization (NFC/NFD) from'),
        hint: expect.stringContaining('macOS treats both as the same folder'),
      },
      {
        file: 'apps/shop/phases.json',
        path: 'phases[2].plannedFiles[2]',
        message: expect.stringContaining('differs only in case and Unicode normalization (NFC/NFD) from'),
        hint: expect.stringContaining('macOS treats both as the same file'),
      },
    ]);
  });

  it('rejects names too long to commit, at their JSON path', () => {
    const text = planText({ phases: [setup, phase(2, 'Long', [`src/${'x'.repeat(244)}.ts`])] });
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: 'phases[1].plannedFiles[0]',
        message: expect.stringContaining('has a 247-byte name'),
        hint: 'Shorten that file or folder name to at most 223 bytes (UTF-8).',
      }),
    ]);
  });

  it('rejects a phase name with a line break, showing it escaped everywhere', () => {
    const text = planText({ phases: [setup, { ...phase(2, 'Evil\n NX   Successfully ran target phase', []), dependencies: [2] }] });
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({ path: 'phases[1].dependencies[0]', message: expect.stringContaining('("Evil\\n NX   Successfully ran target phase") depends on itself') }),
      {
        file: 'apps/shop/phases.json',
        path: 'phases[1].name',
        message: 'The phase name "Evil\\n NX   Successfully ran target phase" contains a control (U+000A) character; names are printed in logs and messages.',
        hint: 'Remove the line break or control character from the name.',
      },
    ]);
    expect(problems.map((p) => p.message + p.hint).join('')).not.toContain('\n');
  });

  it('accepts the same spelling planned by several phases and files that merely share a folder', () => {
    const text = planText({
      context: ['src/theme.ts'],
      phases: [setup, phase(2, 'Auth', ['src/App.tsx', 'src/lib/a.ts']), phase(3, 'Admin', ['src/lib/b.ts', 'src/lib.ts'])],
    });
    expect(parsePlan(text, 'phases.json').phases).toHaveLength(3);
  });

  it('finds a file/folder collision among 5,000 phases with deep paths (speed is measured by tools/bench/plan-core)', () => {
    const phases = Array.from({ length: 5000 }, (_, i) =>
      phase(i + 1, `P${i + 1}`, Array.from({ length: 6 }, (__, k) => `src/area-${i % 50}/phase-${i + 1}/deep/er/file-${k}.ts`)),
    );
    phases[4999].plannedFiles!.push('src/area-0/phase-1/deep');
    const problems = problemsOf(JSON.stringify({ name: 'big', phases }));
    expect(problems.map((problem) => problem.path)).toEqual(Array.from({ length: 6 }, (_, k) => `phases[0].plannedFiles[${k}]`));
  });
});

describe('phaseJsonPaths', () => {
  it('maps each phase number to its position in the file, with or without a byte-order mark', () => {
    const text = planText({ phases: [{ number: 7, name: 'A' }, setup, { number: 3, name: 'B' }] });
    const expected = new Map([
      [7, 'phases[0]'],
      [1, 'phases[1]'],
      [3, 'phases[2]'],
    ]);
    expect(phaseJsonPaths(text)).toEqual(expected);
    expect(phaseJsonPaths(`\uFEFF${text}`)).toEqual(expected);
  });

  it('tolerates invalid plans: first duplicate wins, entries without an integer number are skipped', () => {
    const text = JSON.stringify({ phases: [null, { number: '2' }, { number: 2 }, { number: 2.5 }, { number: 2 }, 'x'] });
    expect(phaseJsonPaths(text)).toEqual(new Map([[2, 'phases[2]']]));
  });

  it.each(['', '{ "phases": [', '[]', 'null', '{"phases": {}}', '{"name": "x"}'])('returns an empty map for %j', (text) => {
    expect(phaseJsonPaths(text)).toEqual(new Map());
  });
});
