import { doc, indent, jsxAttribute, jsxText, listText, literal, source, type SourceLine } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { FOLDERS, PATHS, apiName, componentName, hookName, pageName } from '../conventions';
import { baseName, camelIdentifier, featureLabel, importPath, kebabCase, normalizeName, titleCase, topicWords } from '../names';

const FORM_FIELDS: Array<[RegExp, string[]]> = [
  [/contact|feedback|inquiry|support/, ['name', 'email', 'message']],
  [/checkout|payment|shipping|billing|address/, ['name', 'email', 'address']],
  [/newsletter|subscribe/, ['email']],
  [/review|rating/, ['name', 'review']],
];

/** True when a feature is a form ("Contact form" → true): it gets a form component and a form hook. */
function isFormFeature(feature: string): boolean {
  return normalizeName(feature).includes('form');
}

/** The fields of a form feature, by keyword ("Contact form" → name, email, message). */
export function formFields(feature: string): string[] {
  const name = normalizeName(feature);
  return FORM_FIELDS.find(([pattern]) => pattern.test(name))?.[1] ?? ['name', 'email'];
}

/** src/hooks/use<Feature>.ts: form state (form features) or a list of entries, stored in src/lib/db.ts when present. */
export function hookTemplate(ctx: ScaffoldContext, path: string): string {
  const hook = hookName(path);
  const feature = featureLabel(ctx.phase.features, hook.replace(/^use/, ''));
  const hasDb = ctx.exports(PATHS.db, 'createTable');
  const lines = isFormFeature(feature) ? formHookLines(hook, feature, hasDb) : listHookLines(hook, feature, hasDb);
  return source(
    doc(`State of "${feature}" (${phaseLabel(ctx.phase)})${hasDb ? ', stored in src/lib/db.ts' : ''}.`),
    "import { useState } from 'react';",
    hasDb && `import { createTable } from '${importPath(path, PATHS.db)}';`,
    '',
    lines,
  );
}

function formHookLines(hook: string, feature: string, hasDb: boolean): SourceLine[] {
  const stem = camelIdentifier(hook.replace(/^use/, ''));
  const type = stem[0].toUpperCase() + stem.slice(1);
  const fields = formFields(feature);
  return [
    doc(`The fields of "${feature}".`),
    `export const ${stem}Fields = [${fields.map(literal).join(', ')}] as const;`,
    '',
    doc(`One field of "${feature}".`),
    `export type ${type}Field = (typeof ${stem}Fields)[number];`,
    '',
    doc(`A submitted "${feature}".`),
    `export interface ${type}Submission {`,
    '  id: string;',
    `  values: Record<${type}Field, string>;`,
    '}',
    '',
    hasDb
      ? `const submissions = createTable<${type}Submission>(${literal(kebabCase(feature))});`
      : `const submissions: ${type}Submission[] = [];`,
    '',
    `const emptyValues = (): Record<${type}Field, string> => ({ ${fields.map((f) => `${f}: ''`).join(', ')} });`,
    '',
    doc('Values, change handler and submit; submit() returns false and sets `error` while a field is empty.'),
    `export function ${hook}() {`,
    '  const [values, setValues] = useState(emptyValues);',
    "  const [error, setError] = useState('');",
    '  const [submitted, setSubmitted] = useState(0);',
    '',
    `  function setValue(field: ${type}Field, value: string) {`,
    '    setValues((current) => ({ ...current, [field]: value }));',
    '  }',
    '',
    '  function submit(): boolean {',
    `    const missing = ${stem}Fields.filter((field) => values[field].trim() === '');`,
    '    if (missing.length > 0) {',
    "      setError(`Fill in: ${missing.join(', ')}.`);",
    '      return false;',
    '    }',
    `    submissions.${hasDb ? 'insert' : 'push'}({ id: crypto.randomUUID(), values });`,
    '    setValues(emptyValues());',
    "    setError('');",
    '    setSubmitted((count) => count + 1);',
    '    return true;',
    '  }',
    '',
    `  return { fields: ${stem}Fields, values, error, submitted, setValue, submit };`,
    '}',
  ];
}

function listHookLines(hook: string, feature: string, hasDb: boolean): SourceLine[] {
  const type = `${hook.replace(/^use/, '')}Entry`;
  return [
    doc(`One entry of "${feature}".`),
    `export interface ${type} {`,
    '  id: string;',
    '  label: string;',
    '}',
    '',
    hasDb && `const entries = createTable<${type}>(${literal(kebabCase(feature))});`,
    hasDb && '',
    doc(`The entries of "${feature}" with add and remove.`),
    `export function ${hook}() {`,
    hasDb
      ? tableState('entries')
      : localListState(type),
    '  return { items, add, remove };',
    '}',
  ];
}

/** src/components/<feature>.tsx: a form or a list for one feature, using useAuth, its hook and its API module when present. */
export function componentTemplate(ctx: ScaffoldContext, path: string): string {
  const feature = featureLabel(ctx.phase.features, baseName(path));
  const hook = findHook(ctx, feature);
  const hasAuth = ctx.exports(PATHS.useAuth, 'useAuth');
  const form = isFormFeature(feature);
  const api = form ? undefined : findApi(ctx, feature);
  const reactImports = [...(api ? ['useEffect'] : []), ...(!form || hook === undefined ? ['useState'] : [])];
  return source(
    doc(`"${feature}", part of ${phaseLabel(ctx.phase)}.`),
    reactImports.length > 0 && `import { ${reactImports.join(', ')} } from 'react';`,
    api && `import { ${api.name} } from '${importPath(path, api.path)}';`,
    hasAuth && `import { useAuth } from '${importPath(path, PATHS.useAuth)}';`,
    hook && `import { ${hook.name} } from '${importPath(path, hook.path)}';`,
    '',
    doc(`${feature}.`),
    `export function ${componentName(path)}() {`,
    hasAuth && '  const { user } = useAuth();',
    form ? formState(feature, hook?.name) : listState(hook?.name),
    api && apiState(api.name),
    '  return (',
    `    <section aria-label=${jsxAttribute(feature)}>`,
    `      <h2>${jsxText(feature)}</h2>`,
    hasAuth && "      <p>{user ? `Signed in as ${user.email}` : 'Browsing as a guest'}</p>",
    api && '      {apiError ? <p role="alert">{apiError}</p> : <p>{apiCount} from the API</p>}',
    indent(3, form ? formBody(feature, hook !== undefined) : listBody(feature)),
    '    </section>',
    '  );',
    '}',
  );
}

const API_IGNORED_WORDS = new Set(['api', 'form', 'list', 'page', 'view']);

/** The API module (src/api/<name>.ts) sharing a word with the feature ("Product catalog" → products.ts). */
function findApi(ctx: ScaffoldContext, feature: string): { path: string; name: string } | undefined {
  const topic = topicWords(feature, API_IGNORED_WORDS);
  const path = ctx
    .list(FOLDERS.api, '.ts')
    .find((file) => file !== PATHS.apiClient && topic.some((word) => normalizeName(baseName(file)).includes(word)));
  return path !== undefined && ctx.exports(path, apiName(path)) ? { path, name: apiName(path) } : undefined;
}

function apiState(api: string): string[] {
  return [
    '  const [apiCount, setApiCount] = useState(0);',
    "  const [apiError, setApiError] = useState('');",
    '  useEffect(() => {',
    `    ${api}.list().then(`,
    '      (rows) => setApiCount(rows.length),',
    '      (reason: unknown) => setApiError(reason instanceof Error ? reason.message : String(reason)),',
    '    );',
    '  }, []);',
  ];
}

function findHook(ctx: ScaffoldContext, feature: string): { path: string; name: string } | undefined {
  const path = ctx.list(FOLDERS.hooks, '.ts').find((file) => normalizeName(baseName(file)) === `use${normalizeName(feature)}`);
  return path !== undefined && ctx.exports(path, hookName(path)) ? { path, name: hookName(path) } : undefined;
}

function formState(feature: string, hook: string | undefined): string[] {
  if (hook) return [`  const form = ${hook}();`];
  return [
    `  const fields = [${formFields(feature).map(literal).join(', ')}] as const;`,
    '  const [values, setValues] = useState<Record<string, string>>({});',
    '  const [sent, setSent] = useState(false);',
    '  const form = {',
    '    fields,',
    "    values: Object.fromEntries(fields.map((field) => [field, values[field] ?? ''])),",
    '    submitted: sent ? 1 : 0,',
    '    setValue: (field: string, value: string) => setValues((current) => ({ ...current, [field]: value })),',
    '    submit: () => setSent(true),',
    '  };',
  ];
}

function formBody(feature: string, withHook: boolean): string[] {
  return [
    '<form',
    '  onSubmit={(event) => {',
    '    event.preventDefault();',
    '    form.submit();',
    '  }}',
    '>',
    '  {form.fields.map((field) => (',
    '    <label key={field}>',
    '      {field} <input value={form.values[field]} onChange={(event) => form.setValue(field, event.target.value)} />',
    '    </label>',
    '  ))}',
    withHook ? '  {form.error && <p role="alert">{form.error}</p>}' : undefined,
    `  {form.submitted > 0 && <p>${jsxText(`Thank you, your ${feature.toLowerCase()} was sent.`)}</p>}`,
    '  <button type="submit">Send</button>',
    '</form>',
  ].filter((line): line is string => line !== undefined);
}

function localListState(rowType: string): string[] {
  return [
    `  const [items, setItems] = useState<Array<${rowType}>>([]);`,
    '  const add = (label: string) => setItems((current) => [...current, { id: crypto.randomUUID(), label }]);',
    '  const remove = (id: string) => setItems((current) => current.filter((item) => item.id !== id));',
  ];
}

/** Lines declaring `items`, `add` and `remove` backed by the db table held in the variable `table`. */
export function tableState(table: string): string[] {
  return [
    `  const [items, setItems] = useState(() => ${table}.all());`,
    '  const add = (label: string) => {',
    `    ${table}.insert({ id: crypto.randomUUID(), label });`,
    `    setItems(${table}.all());`,
    '  };',
    '  const remove = (id: string) => {',
    `    ${table}.remove(id);`,
    `    setItems(${table}.all());`,
    '  };',
  ];
}

/** Lines declaring `items`, `add`, `remove` (from the hook, or local state) and the input `draft`. */
export function listState(hook: string | undefined): string[] {
  const state = hook ? [`  const { items, add, remove } = ${hook}();`] : localListState('{ id: string; label: string }');
  return [...state, "  const [draft, setDraft] = useState('');"];
}

/** JSX of an add-form plus a list of `items` with remove buttons. */
export function listBody(feature: string): string[] {
  return [
    '<form',
    '  onSubmit={(event) => {',
    '    event.preventDefault();',
    '    if (draft.trim() === \'\') return;',
    '    add(draft.trim());',
    "    setDraft('');",
    '  }}',
    '>',
    `  <input value={draft} onChange={(event) => setDraft(event.target.value)} placeholder=${jsxAttribute(`Add to ${feature}`)} />`,
    '  <button type="submit">Add</button>',
    '</form>',
    '<ul>',
    '  {items.map((item) => (',
    '    <li key={item.id}>',
    '      {item.label}{\' \'}',
    '      <button type="button" onClick={() => remove(item.id)}>',
    '        Remove',
    '      </button>',
    '    </li>',
    '  ))}',
    '</ul>',
  ];
}

/** src/pages/<page>.tsx: the phase's page, rendering the components of its features that are present. */
export function pageTemplate(ctx: ScaffoldContext, path: string): string {
  const title = normalizeName(baseName(path)) === normalizeName(ctx.phase.name) ? ctx.phase.name : titleCase(baseName(path));
  const components = phaseComponents(ctx);
  return source(
    doc(`The "${title}" page (${phaseLabel(ctx.phase)}): ${listText(ctx.phase.features, 'no features listed')}.`),
    components.map((file) => `import { ${componentName(file)} } from '${importPath(path, file)}';`),
    components.length > 0 && '',
    doc(`${title} page.`),
    `export function ${pageName(path)}() {`,
    '  return (',
    '    <section>',
    `      <h1>${jsxText(title)}</h1>`,
    ctx.phase.description.trim() !== '' && `      <p>${jsxText(ctx.phase.description.trim())}</p>`,
    components.length > 0
      ? components.map((file) => `      <${componentName(file)} />`)
      : ['      <ul>', ...ctx.phase.features.map((feature) => `        <li>${jsxText(feature)}</li>`), '      </ul>'],
    '    </section>',
    '  );',
    '}',
  );
}

/** The component files of this phase's features that are present and export their prop-less component. */
export function phaseComponents(ctx: ScaffoldContext): string[] {
  const wanted = new Set(ctx.phase.features.map(normalizeName));
  return ctx
    .list(FOLDERS.components, '.tsx')
    .filter((file) => wanted.has(normalizeName(baseName(file))) && ctx.exportsComponent(file, componentName(file)));
}
