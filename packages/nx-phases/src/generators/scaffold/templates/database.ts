import { doc, listText, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { PATHS } from '../conventions';
import { camelIdentifier, importPath, normalizeName, pascalIdentifier, words } from '../names';

/** One field of a model; `id` and `createdAt` are implicit. */
export interface ModelField {
  name: string;
  type: 'string' | 'number';
}

/** A data model derived from a feature name. */
export interface Model {
  name: string;
  feature: string;
  fields: ModelField[];
}

/** Words that do not name an entity ("Product models" → Product, "Seed data" → nothing). */
const NOISE_WORDS = new Set([
  'and', 'api', 'apis', 'crud', 'data', 'database', 'db', 'endpoint', 'endpoints', 'entities',
  'entity', 'for', 'layer', 'management', 'migration', 'migrations', 'model', 'models', 'of',
  'orm', 'prisma', 'rest', 'route', 'routes', 'schema', 'schemas', 'seed', 'seeds', 'service',
  'services', 'setup', 'storage', 'table', 'tables', 'the', 'with',
]);
const RESERVED_NAMES = new Set(['BaseModel', 'ModelName', 'Record', 'Table']);
const text = (name: string): ModelField => ({ name, type: 'string' });
const int = (name: string): ModelField => ({ name, type: 'number' });
const FIELDS_BY_KEYWORD: Array<[RegExp, ModelField[]]> = [
  [/user|customer|account|profile|member/, [text('email'), text('name')]],
  [/cart|basket/, [text('userId'), text('productId'), int('quantity')]],
  [/order|purchase|checkout|payment/, [text('userId'), int('totalCents'), text('status')]],
  [/product|item|catalog/, [text('name'), text('description'), int('priceCents')]],
  [/review|comment|rating/, [text('authorId'), text('body'), int('rating')]],
  [/category|tag/, [text('name'), text('slug')]],
  [/message|contact|inquiry|feedback/, [text('name'), text('email'), text('body')]],
  [/post|article|page|blog/, [text('title'), text('body')]],
];

/** The singular entity a feature names ("Product models" → "Product"), or undefined for noise ("Seed data"). */
export function entityName(feature: string): string | undefined {
  const kept = words(feature).filter((word) => !NOISE_WORDS.has(word.toLowerCase()));
  if (kept.length === 0) return undefined;
  const last = kept[kept.length - 1];
  kept[kept.length - 1] = /[^s]s$/i.test(last) ? last.slice(0, -1) : last;
  const name = pascalIdentifier(kept.join(' '));
  return RESERVED_NAMES.has(name) ? `${name}Model` : name;
}

/** The models of a database phase: one per feature naming an entity, sorted, without duplicates. */
export function modelsOf(features: readonly string[]): Model[] {
  const byName = new Map<string, Model>();
  for (const feature of features) {
    const name = entityName(feature);
    if (name === undefined || byName.has(name)) continue;
    const match = FIELDS_BY_KEYWORD.find(([pattern]) => pattern.test(normalizeName(name)));
    byName.set(name, { name, feature, fields: match ? match[1] : [text('name')] });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** prisma/schema.prisma (or any .prisma file): SQLite datasource and one model per entity. */
export function prismaTemplate(ctx: ScaffoldContext): string {
  const models = modelsOf(ctx.phase.features);
  return source(
    `// Prisma schema of ${ctx.planName} (${phaseLabel(ctx.phase)}); mirrors src/types/models.ts.`,
    'datasource db {',
    '  provider = "sqlite"',
    '  url      = env("DATABASE_URL")',
    '}',
    '',
    'generator client {',
    '  provider = "prisma-client-js"',
    '}',
    models.map((model) => ['', `// ${model.feature}`, `model ${model.name} {`, ...prismaFields(model), '}']),
  );
}

function prismaFields(model: Model): string[] {
  const rows: Array<[string, string]> = [
    ['id', 'String   @id @default(cuid())'],
    ['createdAt', 'DateTime @default(now())'],
    ...model.fields.map((field): [string, string] => [field.name, field.type === 'number' ? 'Int' : 'String']),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, type]) => `  ${name.padEnd(width)} ${type}`);
}

/** src/types/models.ts: one interface per entity plus the union of model names. */
export function modelsTemplate(ctx: ScaffoldContext): string {
  const models = modelsOf(ctx.phase.features);
  return source(
    doc(`Data models of ${ctx.planName} (${phaseLabel(ctx.phase)}): ${listText(models.map((m) => m.name), 'none yet')}.`),
    '',
    doc('Fields every model has.'),
    'export interface BaseModel {',
    '  id: string;',
    '  createdAt: string;',
    '}',
    models.map((model) => [
      '',
      doc(`The ${model.name} model (feature "${model.feature}").`),
      `export interface ${model.name} extends BaseModel {`,
      ...model.fields.map((field) => `  ${field.name}: ${field.type};`),
      '}',
    ]),
    '',
    doc('The name of every model.'),
    `export type ModelName = ${models.map((model) => `'${model.name}'`).join(' | ') || 'never'};`,
  );
}

/** src/lib/db.ts: a typed in-memory store with one table per model found in src/types/models.ts. */
export function dbTemplate(ctx: ScaffoldContext, path: string): string {
  const models = availableModelNames(ctx);
  return source(
    doc(`Data access of ${ctx.planName} (${phaseLabel(ctx.phase)}); in memory until you point Prisma (prisma/schema.prisma) at a database.`),
    models.length > 0 && `import type { ${models.join(', ')} } from '${importPath(path, PATHS.models)}';`,
    '',
    doc('A typed table of rows keyed by id.'),
    'export interface Table<T extends { id: string }> {',
    '  all(): T[];',
    '  find(id: string): T | undefined;',
    '  insert(row: T): T;',
    '  remove(id: string): boolean;',
    '}',
    '',
    doc('Creates an empty in-memory table; `name` appears in error messages.'),
    'export function createTable<T extends { id: string }>(name: string): Table<T> {',
    '  const rows = new Map<string, T>();',
    '  return {',
    '    all: () => [...rows.values()],',
    '    find: (id) => rows.get(id),',
    '    insert: (row) => {',
    '      if (rows.has(row.id)) throw new Error(`${name}: a row with id "${row.id}" already exists; insert it with a new id.`);',
    '      rows.set(row.id, row);',
    '      return row;',
    '    },',
    '    remove: (id) => rows.delete(id),',
    '  };',
    '}',
    '',
    doc('One table per model.'),
    'export const db = {',
    models.map((model) => `  ${camelIdentifier(model)}: createTable<${model}>('${camelIdentifier(model)}'),`),
    '};',
  );
}

/** Model names src/types/models.ts will export: this phase's models if it writes the file, else those it declares. */
export function availableModelNames(ctx: ScaffoldContext): string[] {
  if (ctx.isPlanned(PATHS.models)) return modelsOf(ctx.phase.features).map((model) => model.name);
  const declared = (ctx.read(PATHS.models) ?? '').matchAll(/\bexport\s+interface\s+([A-Za-z0-9_]+)\s+extends\s+BaseModel\b/g);
  return [...declared].map((match) => match[1]).sort();
}
