import type { Phase } from '../../plan/types';
import type { DependencyOutput } from '../../runtime/phase-generator';
import { plannedFilesFromPrompt } from '../../test-utils/openai-test-server';
import type { SnapshotFile } from './context';
import { buildPhasePrompt, DEFAULT_SYSTEM_PROMPT, PromptInput } from './prompt';

const phase: Phase = {
  number: 4,
  name: 'Product Catalog',
  domain: 'feature',
  description: 'List and search products.',
  features: ['product list', 'search'],
  dependencies: [2, 3],
  plannedFiles: ['src/catalog/list.tsx', 'src/lib/db.ts'],
  predictedFiles: false,
};

const dependencies: DependencyOutput[] = [
  { number: 1, name: 'Setup', domain: 'setup', features: ['tooling'], files: ['package.json', 'src/lib/util.ts'] },
  { number: 2, name: 'Database', domain: 'database', features: ['schema', 'client'], files: ['src/lib/db.ts'] },
  { number: 3, name: 'Auth', domain: 'auth', features: ['login'], files: ['src/auth/session.ts'] },
];

const files: SnapshotFile[] = [
  { path: 'package.json', content: '{ "name": "shop" }\n' },
  { path: 'src/lib/util.ts', content: 'export function slugify(text: string): string {\n  return text;\n}\n' },
  { path: 'src/lib/db.ts', content: 'export const db = connect();\nconst secret = 1;\n' },
  { path: 'src/auth/session.ts', content: 'export interface Session {\n  userId: string;\n}\nexport function getSession(): Session {\n  return x;\n}\n' },
  { path: 'docs/brief.md', content: 'Sell shoes.\n' },
  { path: 'public/logo.png', content: null },
];

const input = (overrides: Partial<PromptInput> = {}): PromptInput => ({
  planName: 'shop',
  phase,
  dependencies,
  context: ['docs/brief.md'],
  files,
  maxContextTokens: 12_000,
  model: 'gpt-4.1-mini',
  ...overrides,
});

describe('buildPhasePrompt', () => {
  // An inline snapshot kept on purpose: this text is what every openai phase sends (and pays for), so a change to it
  // should show up in review as a diff of the prompt; the tests below check its rules as properties.
  it('lays out the phase, its allowed files, its dependencies and the snapshot', () => {
    const prompt = buildPhasePrompt(input());
    expect(prompt.system).toBe(DEFAULT_SYSTEM_PROMPT);
    expect(prompt.user).toMatchInlineSnapshot(`
"# Phase 4: Product Catalog
App plan: shop
Domain: feature

## Description
List and search products.

## Features
- product list
- search

## Files you may write
Write only these files (paths relative to the app root). A reply with any other path is rejected.
- src/catalog/list.tsx
- src/lib/db.ts

## What earlier phases implemented
- Phase 1 "Setup" (setup). Features: tooling. Files: package.json, src/lib/util.ts.
- Phase 2 "Database" (database). Features: schema; client. Files: src/lib/db.ts.
- Phase 3 "Auth" (auth). Features: login. Files: src/auth/session.ts.

## Existing files
Files you will modify are shown in full; other files as their exported API or as paths only, most relevant first.

### src/lib/db.ts (you will modify this file; full text)
\`\`\`
export const db = connect();
const secret = 1;
\`\`\`

### docs/brief.md (plan context; full text)
\`\`\`
Sell shoes.
\`\`\`

### src/auth/session.ts (exports)
\`\`\`
export interface Session {
  userId: string;
}
export function getSession(): Session {…}
\`\`\`

### src/lib/util.ts (exports)
\`\`\`
export function slugify(text: string): string {…}
\`\`\`

### Other files (paths only)
- package.json
- public/logo.png

## Reply format
Reply with one JSON object and nothing else:
{"files":[{"path":"<a path from Files you may write>","content":"<the complete file text>"}],"notes":"<optional, short>"}
Include every file this phase needs to write (at most 2), each with its complete content.
"
`);
    // The count the server bills: gpt-tokenizer's own chat encoding of the two messages.
    const { encodeChat } = require('gpt-tokenizer/cjs/encoding/o200k_base') as { encodeChat(m: unknown, model: string): number[] };
    const messages = [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ];
    expect(prompt.estimatedTokens).toBe(encodeChat(messages, 'gpt-4o').length);
  });

  it('is deterministic: file order in the snapshot does not matter', () => {
    expect(buildPhasePrompt(input({ files: [...files].reverse() }))).toEqual(buildPhasePrompt(input()));
  });

  it('uses the systemPrompt override', () => {
    expect(buildPhasePrompt(input({ systemPrompt: 'Be brief.' })).system).toBe('Be brief.');
  });

  it('states the planned files in the form the test server (and models) can read back', () => {
    expect(plannedFilesFromPrompt(buildPhasePrompt(input()).user)).toEqual(phase.plannedFiles);
  });

  it('names the shared (mergeable) files it plans and says it may only add to them', () => {
    const merge = { 'src/lib/db.ts': 'regions', 'src/catalog/list.tsx': 'json' } as const;
    const user = buildPhasePrompt(input({ merge })).user;
    const section = user.split('## Shared files: only add to them\n')[1].split('\n\n')[0];
    expect(section.split('\n')).toEqual([
      'Other phases add to these files at the same time, and their additions are merged. Reply with the complete file: the version you are shown plus your additions.',
      'A removal or a changed entry fails this phase. If you have nothing to add to a shared file, leave it out of your reply.',
      '- src/catalog/list.tsx: add new keys (for example your npm dependencies) at any depth; never remove a key or change a value that is already there.',
      '- src/lib/db.ts: add new lines only between a "nx-phases:region <name>" comment and its "nx-phases:end <name>" comment; keep every existing line and leave everything outside the regions exactly as it is.',
    ]);
    expect(plannedFilesFromPrompt(user)).toEqual(phase.plannedFiles);
    expect(buildPhasePrompt(input()).user).not.toContain('Shared files');
  });

  it('says so when there are no dependencies and no files', () => {
    const prompt = buildPhasePrompt(input({ dependencies: [], files: [], context: [] }));
    expect(prompt.user).toContain('None: this phase has no dependencies.');
    expect(prompt.user).toContain('None yet: this phase starts from an empty app folder.');
  });
});

describe('buildPhasePrompt context compression', () => {
  const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  step(${i}); // some work`).join('\n');
  const moduleText = (functions: number, bodyLines: number) =>
    Array.from({ length: functions }, (_, i) => `export function f${i}(): number {\n${body(bodyLines)}\n}`).join('\n');
  const many: SnapshotFile[] = [
    { path: 'src/lib/db.ts', content: moduleText(40, 20) },
    ...Array.from({ length: 30 }, (_, i) => ({ path: `src/near/n${String(i).padStart(2, '0')}.ts`, content: moduleText(5, 2) })),
    ...Array.from({ length: 30 }, (_, i) => ({ path: `src/far/f${String(i).padStart(2, '0')}.ts`, content: moduleText(5, 2) })),
  ];
  const deps: DependencyOutput[] = [
    { number: 1, name: 'Far', domain: 'setup', features: [], files: many.filter((f) => f.path.startsWith('src/far/')).map((f) => f.path) },
    { number: 2, name: 'Near', domain: 'api', features: [], files: many.filter((f) => f.path.startsWith('src/near/')).map((f) => f.path) },
  ];
  const compressed = (maxContextTokens: number) =>
    buildPhasePrompt(input({ files: many, dependencies: deps, context: [], maxContextTokens }));

  it.each([12_000, 4_000, 2_000, 1_000])('stays within maxContextTokens = %i', (budget) => {
    expect(compressed(budget).estimatedTokens).toBeLessThanOrEqual(budget);
  });

  it.each([4_000, 2_000])('fills maxContextTokens = %i as the model\'s own tokenizer counts: compression and the sent count use one counter', (budget) => {
    // Compressing with another counter (characters / 3, / 4) leaves the prompt well under or over the budget.
    expect(compressed(budget).estimatedTokens).toBeGreaterThan(budget * 0.9);
  });

  it('keeps the whole spec but shows no file when the fixed parts alone exceed maxContextTokens', () => {
    // The dependency list names 60 paths: about 650 o200k tokens before any file is shown.
    const { user } = compressed(600);
    expect(user).toContain('Files: src/far/f00.ts');
    expect(user.split('## Existing files')[1]).not.toMatch(/^- src\//m);
    expect(user).toContain('(61 more files not shown, to fit maxContextTokens)');
  });

  it.each([4_000, 1_000])('stays within maxContextTokens = %i with the fallback count of a model without a tokenizer', (budget) => {
    const prompt = buildPhasePrompt(input({ files: many, dependencies: deps, context: [], maxContextTokens: budget, model: 'local-model' }));
    expect(prompt.estimatedTokens).toBeLessThanOrEqual(budget);
    expect(prompt.estimatedTokens).toBeGreaterThan(budget * 0.8);
  });

  it('shows everything in its richest view when the budget allows', () => {
    const { user } = compressed(100_000);
    expect(user).toContain('### src/lib/db.ts (you will modify this file; full text)');
    expect(user).toContain('### src/far/f29.ts (exports)');
    expect(user).not.toContain('### Other files (paths only)');
  });

  it('drops to signatures, then paths, nearest dependency first, as the budget shrinks', () => {
    const medium = compressed(3_000).user.split('## Existing files')[1];
    expect(medium).not.toContain('(you will modify this file; full text)');
    expect(medium).toContain('### src/lib/db.ts (exports)');
    expect(medium).toContain('### src/near/n00.ts (exports)');
    expect(medium).toContain('- src/far/f29.ts');
    expect(medium.indexOf('src/near/n00.ts')).toBeLessThan(medium.indexOf('src/far/f00.ts'));

    const tiny = compressed(800).user.split('## Existing files')[1];
    expect(tiny).not.toContain('(exports)');
    expect(tiny).toContain('- src/lib/db.ts\n- src/near/n00.ts');
    expect(tiny).toMatch(/\(\d+ more files not shown, to fit maxContextTokens\)/);
    expect(tiny).not.toContain('src/far/f29.ts');
  });
});
