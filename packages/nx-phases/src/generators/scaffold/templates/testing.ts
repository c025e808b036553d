import { doc, literal, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { FOLDERS, PATHS, apiName, componentName } from '../conventions';
import { baseName, featureLabel, importPath, normalizeName, topicWords } from '../names';

/** A check the test file can run on a module that is present; `imports` are "<module>#<name>". */
interface Check {
  imports: string[];
  name: string;
  body: string;
}

const TEST_WORDS = new Set(['api', 'check', 'e2e', 'end', 'integration', 'spec', 'test', 'unit']);

/** src/tests/<feature>.test.ts: plain-function checks (no test-runner types needed) of the modules present. */
export function testTemplate(ctx: ScaffoldContext, path: string): string {
  const feature = featureLabel(ctx.phase.features, baseName(path).replace(/\.test$/, ''));
  const checks = checksFor(ctx, path, feature);
  const imports = new Map<string, string[]>();
  for (const check of checks) for (const spec of check.imports) addImport(imports, spec);
  return source(
    doc(`Checks for "${feature}" (${phaseLabel(ctx.phase)}); plain functions, so any test runner (or a script) can call them.`),
    [...imports].sort().map(([from, names]) => `import { ${names.join(', ')} } from '${from}';`),
    '',
    checks.length > 0 && [
      doc('Throws when a check fails.'),
      'function check(condition: boolean, message: string): void {',
      '  if (!condition) throw new Error(`Check failed: ${message}`);',
      '}',
      '',
    ],
    doc(checks.length > 0 ? 'The checks of this file, by name.' : `No checks yet: no module named like "${feature}" was present.`),
    'export const checks: Record<string, () => void> = {',
    checks.map((entry) => `  ${literal(entry.name)}: () => ${entry.body},`),
    '};',
    '',
    doc('Runs every check and returns the names of those that failed.'),
    'export function runChecks(): string[] {',
    '  return Object.entries(checks).flatMap(([name, run]) => {',
    '    try {',
    '      run();',
    '      return [];',
    '    } catch {',
    '      return [name];',
    '    }',
    '  });',
    '}',
  );
}

/** The checks of a feature: its modules, plus the shared modules it mentions (all shared ones when nothing else matched). */
function checksFor(ctx: ScaffoldContext, path: string, feature: string): Check[] {
  const topic = normalizeName(feature);
  const shared = sharedModuleChecks(ctx, path);
  const mentioned = shared.filter((entry) => entry.keywords.test(topic));
  const modules = featureModuleChecks(ctx, path, feature);
  return mentioned.length + modules.length > 0 ? [...mentioned, ...modules] : shared;
}

function sharedModuleChecks(ctx: ScaffoldContext, path: string): Array<Check & { keywords: RegExp }> {
  const checks: Array<Check & { keywords: RegExp }> = [];
  if (ctx.exports(PATHS.db, 'createTable')) {
    checks.push({
      keywords: /data|db|model|stor|persist/,
      imports: [`${importPath(path, PATHS.db)}#createTable`],
      name: 'the in-memory table stores and finds a row',
      body: [
        '{',
        "    const table = createTable<{ id: string; label: string }>('check');",
        "    table.insert({ id: '1', label: 'one' });",
        "    check(table.find('1')?.label === 'one', 'row 1 was not found after insert');",
        '  }',
      ].join('\n'),
    });
  }
  if (ctx.exports(PATHS.routes, 'findRoute') && ctx.exports(PATHS.routes, 'routes')) {
    checks.push({
      keywords: /route|navigation|e2e|endtoend|smoke|app/,
      imports: [`${importPath(path, PATHS.routes)}#findRoute`, `${importPath(path, PATHS.routes)}#routes`],
      name: 'the route table has a home page',
      body: "check(findRoute(routes, '/') !== undefined, 'no route for \"/\"')",
    });
  }
  if (ctx.exports(PATHS.apiClient, 'apiUrl')) {
    checks.push({
      keywords: /api|http|fetch/,
      imports: [`${importPath(path, PATHS.apiClient)}#apiUrl`],
      name: 'API URLs are rooted at /api',
      body: "check(apiUrl('/items') === '/api/items', apiUrl('/items'))",
    });
  }
  return checks;
}

/** Checks that the modules named like the feature ("Cart tests" → components/shopping-cart.tsx) export what they should. */
function featureModuleChecks(ctx: ScaffoldContext, path: string, feature: string): Check[] {
  const topic = topicWords(feature, TEST_WORDS);
  const matches = (file: string) => topic.some((word) => normalizeName(baseName(file)).includes(word));
  const components = [...ctx.list(FOLDERS.components, '.tsx'), ...ctx.list(FOLDERS.admin, '.tsx')]
    .filter((file) => matches(file) && ctx.exportsComponent(file, componentName(file)))
    .map((file) => ({ file, name: componentName(file) }));
  const apis = ctx
    .list(FOLDERS.api, '.ts')
    .filter((file) => file !== PATHS.apiClient && matches(file) && ctx.exports(file, apiName(file)))
    .map((file) => ({ file, name: apiName(file) }));
  const unique = new Map([...components, ...apis].map((entry) => [entry.name, entry]));
  return [...unique.values()].map(({ file, name }) => ({
    imports: [`${importPath(path, file)}#${name}`],
    name: `${name} is exported`,
    body: `check(typeof ${name} === ${literal(name.endsWith('Api') ? 'object' : 'function')}, ${literal(`${name} is not exported`)})`,
  }));
}

function addImport(imports: Map<string, string[]>, spec: string): void {
  const [from, name] = spec.split('#');
  const names = imports.get(from) ?? [];
  if (!names.includes(name)) imports.set(from, [...names, name].sort());
}
