import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { E2eWorkspace } from './utils/e2e-workspace';
import { stackTraceLines } from './utils/nx-output';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { guardSentinel } from './utils/sentinel';
import { withOutput } from './utils/with-output';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const decoded = (text: string) => `Buffer.from('${b64(text)}','base64').toString()`;
const command = (...steps: string[]) => ({ use: 'nx-phases:command', options: { command: steps.join(' && ') } });
/** A shell step writing `text` to `file` (base64 inside, so no quoting can break). */
const write = (file: string, text: string) =>
  `node -e "const f=require('fs');f.mkdirSync(require('path').dirname('${file}'),{recursive:true});f.writeFileSync('${file}',${decoded(text)})"`;
/** A shell step replacing the first `from` in `file` with `to`, leaving every other byte as the phase was given it. */
const replace = (file: string, from: string, to: string) =>
  `node -e "const f=require('fs');const t=f.readFileSync('${file}','utf8');f.writeFileSync('${file}',t.replace(${decoded(from)},()=>${decoded(to)}))"`;

const PACKAGE = '{\n  "name": "hm",\n  "appId": 12345678901234567890,\n  "ratio": 0.10000000000000000555,\n  "dependencies": {\n    "react": "^19.0.0"\n  }\n}\n';
const ROUTES = 'export const routes = {\n  // nx-phases:region routes\n  // nx-phases:end routes\n};\n';
const DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

/** Setup creates package.json (json) and src/routes.ts (regions); Cart adds a dependency and a route; `extra` adds to Cart's package.json edit. */
function mergePlan(extra = ''): PlanDocument {
  return {
    name: 'hm',
    merge: { 'package.json': 'json', 'src/routes.ts': 'regions' },
    phases: [
      {
        number: 1,
        name: 'Setup',
        features: ['v1'],
        plannedFiles: ['package.json', 'src/routes.ts', 'src/app.ts'],
        generator: command(write('package.json', PACKAGE), write('src/routes.ts', ROUTES), write('src/app.ts', 'export {};\n')),
      },
      {
        number: 2,
        name: 'Cart',
        features: ['v1'],
        dependencies: [1],
        plannedFiles: ['package.json', 'src/routes.ts', 'src/cart.ts'],
        generator: command(
          replace('package.json', '"dependencies": {', `${extra}"dependencies": {\n    "zod": "^3.0.0",`),
          replace('src/routes.ts', '  // nx-phases:end routes', "  cart: 'Cart',\n  // nx-phases:end routes"),
          write('src/cart.ts', 'export {};\n'),
        ),
      },
    ],
  };
}

/** Stable JSON as the plugin hashes contributions: keys sorted at every level, compact. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Issue 17 items 2, 3, 5 and 6, end to end with the packed plugin: hand edits of merged files, number literals,
 * region markers smuggled into a record, and JSON nested 20,000 levels (from a phase and from a record). Each case
 * runs in its own workspace, and a sentinel folder outside every workspace is unchanged after each.
 */
describe('hostile merges (hand edits, numbers, regions, depth)', () => {
  const app = 'apps/hm';
  guardSentinel('hostile-merge');

  /** A workspace with the plan committed and run once. */
  function committedScenario(name: string, plan = mergePlan()): E2eWorkspace {
    const { workspace } = createScenario(name);
    writePlan(workspace.root, app, plan);
    workspace.commitAll('plan');
    workspace.runPhases(['--parallel=2']);
    return workspace;
  }
  /** Runs only the plan's merge step, so records are read as they are on disk (a full run would restore them from the cache). */
  const mergeOnly = (ws: E2eWorkspace) => ws.nx(['run', 'hm:phase', '--excludeTaskDependencies', '--outputStyle=static'], { allowFailure: true });
  const read = (ws: E2eWorkspace, file: string) => readFileSync(ws.path(app, file), 'utf8');

  it('keeps number literals exactly as the phases wrote them in the merged package.json', () => {
    const ws = committedScenario('hostile-merge-numbers');
    expect(read(ws, 'package.json')).toBe(
      '{\n  "name": "hm",\n  "appId": 12345678901234567890,\n  "ratio": 0.10000000000000000555,\n  "dependencies": {\n    "react": "^19.0.0",\n    "zod": "^3.0.0"\n  }\n}\n',
    );
  });

  it('fails a phase writing 1e400 into a merged file, naming the entry, and commits nothing', () => {
    const { workspace: ws } = createScenario('hostile-merge-infinity');
    writePlan(ws.root, app, mergePlan('"max": 1e400,\n  '));
    ws.commitAll('plan');
    const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('Phase 2 (Cart) edited mergeable files in ways it may not, so nothing was committed:');
      expect(run.output).toContain('  - max: the number 1e400 is too large for JSON tools (it reads as Infinity); write it as a string.');
    });
    expect(existsSync(ws.path(app, '.phases', '2', 'manifest.json'))).toBe(false);
  });

  it('a hand edit of the merged package.json survives a fully cached run, which fails naming the file, the edit and the fix', () => {
    const ws = committedScenario('hostile-merge-hand-edit');
    const merged = read(ws, 'package.json');
    const edited = merged.replace('"name": "hm",', '"name": "hm",\n  "scripts": {\n    "dev": "vite --port 4000"\n  },');
    writeFileSync(ws.path(app, 'package.json'), edited);
    const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.ran).toEqual([]);
      expect(run.output).toContain(
        'A merged file was changed since the merge last wrote it, so nothing was overwritten:\n' +
          `  ${app}/package.json:\n` +
          '    - added scripts: {"dev":"vite --port 4000"}\n' +
          'Fix: to keep an edit, make it part of a phase',
      );
      expect(run.output).toContain(`to drop it and take the merged file, delete ${app}/package.json and run again`);
      expect(stackTraceLines(run.output)).toEqual([]);
    });
    expect(read(ws, 'package.json')).toBe(edited);
    rmSync(ws.path(app, 'package.json'));
    const again = ws.runPhases(['--parallel=2']);
    withOutput(again, () => expect(read(ws, 'package.json')).toBe(merged));
  });

  it('a tampered contributions.json whose region lines close the region, add code and reopen it is refused, naming the phase and the file', () => {
    const ws = committedScenario('hostile-merge-regions');
    const routes = read(ws, 'src/routes.ts');
    const recordFile = ws.path(app, '.phases', '2', 'contributions.json');
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    record['src/routes.ts'].regions[0].lines.push('  // nx-phases:end routes', "require('child_process').execSync('touch /tmp/pwned');", '  // nx-phases:region routes');
    writeFileSync(recordFile, JSON.stringify(record, null, 2));
    const manifestFile = ws.path(app, '.phases', '2', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.contributions['src/routes.ts'] = sha256(stableJson(record['src/routes.ts']));
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    const run = mergeOnly(ws);
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(
        'The contribution of Phase 2 (Cart) to src/routes.ts cannot be merged: its record is malformed (region "routes" holds the line "  // nx-phases:end routes": it holds a region marker',
      );
    });
    expect(read(ws, 'src/routes.ts')).toBe(routes);
  });

  it('a phase writing JSON nested 20,000 levels into a merged file fails with a message, not a stack overflow', () => {
    const { workspace: ws } = createScenario('hostile-merge-deep-phase');
    writePlan(ws.root, app, mergePlan(`"deep": ${DEEP},\n  `));
    ws.commitAll('plan');
    const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('  - (root): its version cannot be read: it nests objects and arrays more than 256 levels deep (line 5, column');
      expect(run.output).not.toContain('Maximum call stack');
    });
    expect(existsSync(ws.path(app, '.phases', '2', 'manifest.json'))).toBe(false);
  });

  it('a contributions.json nested 20,000 levels is refused by the merge with a message, the app left as it was', () => {
    const ws = committedScenario('hostile-merge-deep-record');
    const before = read(ws, 'package.json');
    writeFileSync(ws.path(app, '.phases', '2', 'contributions.json'), `{"package.json": ${DEEP}}`);
    const run = mergeOnly(ws);
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('The record of Phase 2 (Cart) is not valid: .phases/2/contributions.json cannot be read: it nests objects and arrays more than 260 levels deep');
      expect(run.output).not.toContain('Maximum call stack');
    });
    expect(read(ws, 'package.json')).toBe(before);
  });
});
