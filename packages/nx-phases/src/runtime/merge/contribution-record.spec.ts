import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonNumber, MAX_JSON_DEPTH } from '../../plan';
import { readManifest } from '../manifest';
import { contributionHashes, contributionsIntact, contributionsText, hashContribution, readPhaseContributions, type PhaseContributions } from './contribution-record';
import { hashesOf, MergeApp, sha } from './test-utils/merge-app';

const env = { strategy: 'lines', lines: ['PORT=3000'] };
const pkg = { strategy: 'json', entries: [{ op: 'set', path: ['name'], value: 'shop' }] };
const FIX = 'Fix: delete apps/app/.phases/1 and re-run that phase with --skip-nx-cache.';

/** An array nested `depth` levels deep. */
function deepArray(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('the contributions record of a phase', () => {
  let app: MergeApp;
  beforeEach(() => {
    app = new MergeApp({ '.env.example': 'lines', 'package.json': 'json' }, [
      { number: 1, plannedFiles: ['.env.example', 'package.json', 'src/main.ts'] },
      { number: 2, dependencies: [1], plannedFiles: ['src/other.ts', 'package.json'] },
    ]);
  });
  afterEach(() => app.dispose());

  const source = (number = 1) => ({
    workspaceRoot: app.ws.root,
    appRoot: app.appRoot,
    plan: app.plan,
    phase: app.phase(number),
    manifest: readManifest({ workspaceRoot: app.ws.root, appRoot: app.appRoot, phaseNumber: number }, `Phase ${number}`),
  });
  const failure = (number = 1): string => {
    try {
      readPhaseContributions(source(number));
    } catch (error) {
      expect(contributionsIntact(source(number))).toBe(false);
      return (error as Error).message;
    }
    throw new Error('expected readPhaseContributions to throw');
  };

  it('reads back every contribution its manifest lists, numbers as literals', () => {
    app.record(1, { '.env.example': env, 'package.json': { strategy: 'json', entries: [{ op: 'set', path: ['port'], value: 3000 }] } });
    expect(readPhaseContributions(source())).toEqual(
      new Map<string, unknown>([
        ['.env.example', env],
        ['package.json', { strategy: 'json', entries: [{ op: 'set', path: ['port'], value: new JsonNumber('3000') }] }],
      ]),
    );
    expect(contributionsIntact(source())).toBe(true);
  });

  it('reads nothing, and needs no contributions.json, when the manifest lists no contribution', () => {
    app.record(1, {});
    expect(readPhaseContributions(source())).toEqual(new Map());
    expect(contributionsIntact(source())).toBe(true);
  });

  it('refuses a record whose contributions.json is missing, naming the phase, the file and the fix', () => {
    app.record(1, { '.env.example': env });
    app.ws.write('apps/app/.phases/1/contributions.json', '');
    rmSync(join(app.ws.root, 'apps/app/.phases/1/contributions.json'));
    expect(failure()).toBe(`The record of Phase 1 (P1) is not valid: its manifest lists contributions, but .phases/1/contributions.json is missing. ${FIX}`);
  });

  it.each([
    ['not JSON', '{ "a": ', 'cannot be read: it is not valid JSON (Unexpected end of JSON input).'],
    ['a list', '[]', 'is not a JSON object.'],
    ['null', 'null', 'is not a JSON object.'],
    ['a string', '"x"', 'is not a JSON object.'],
  ])('refuses a contributions.json that is %s', (_, text, problem) => {
    app.record(1, { '.env.example': env });
    app.ws.write('apps/app/.phases/1/contributions.json', text);
    expect(failure()).toBe(`The record of Phase 1 (P1) is not valid: .phases/1/contributions.json ${problem} ${FIX}`);
  });

  it('reads a contribution as deep as a merged file may be, and refuses one level more with the depth error', () => {
    // The record adds four levels to the merged file's: the file, the contribution, its entries, the entry.
    const deepest = { strategy: 'json', entries: [{ op: 'set', path: ['a'], value: deepArray(MAX_JSON_DEPTH - 1) }] };
    app.record(1, { 'package.json': deepest });
    expect(readPhaseContributions(source()).get('package.json')).toEqual({ strategy: 'json', entries: [{ op: 'set', path: ['a'], value: deepArray(MAX_JSON_DEPTH - 1) }] });
    app.record(1, { 'package.json': { strategy: 'json', entries: [{ op: 'set', path: ['a'], value: deepArray(MAX_JSON_DEPTH) }] } });
    expect(failure()).toContain('its record is malformed (entries[0] is not a valid entry (it nests more than 256 levels deep, counting its key path))');
    app.record(1, { 'package.json': { strategy: 'json', entries: [{ op: 'set', path: ['a'], value: deepArray(MAX_JSON_DEPTH + 1) }] } });
    expect(failure()).toMatch(
      new RegExp(`^The record of Phase 1 \\(P1\\) is not valid: \\.phases/1/contributions\\.json cannot be read: it nests objects and arrays more than ${MAX_JSON_DEPTH + 4} levels deep \\(line \\d+, column \\d+\\)`),
    );
  });

  it('refuses a contribution its manifest does not list, one it lists but the record lacks, and one that does not match its hash', () => {
    app.record(1, { '.env.example': env, 'package.json': pkg }, hashesOf({ '.env.example': env }));
    expect(failure()).toBe(`The record of Phase 1 (P1) is not valid: .phases/1/contributions.json holds a contribution to "package.json", which its manifest does not list. ${FIX}`);
    app.record(1, { '.env.example': env }, hashesOf({ '.env.example': env, 'package.json': pkg }));
    expect(failure()).toBe(`The record of Phase 1 (P1) is not valid: .phases/1/contributions.json lacks the contribution to "package.json" its manifest lists. ${FIX}`);
    app.record(1, { '.env.example': { strategy: 'lines', lines: ['PORT=4000'] } }, hashesOf({ '.env.example': env }));
    expect(failure()).toBe(`The record of Phase 1 (P1) is not valid: the contribution to ".env.example" does not match its manifest. ${FIX}`);
  });

  it('refuses a manifest listing a file that is not mergeable, or mergeable but not planned by this phase', () => {
    app.record(1, { 'src/main.ts': env });
    expect(failure()).toBe(`The record of Phase 1 (P1) is not valid: its manifest lists a contribution to "src/main.ts", which is not a mergeable file this phase plans. ${FIX}`);
    app.record(2, { '.env.example': env });
    expect(failure(2)).toBe(
      `The record of Phase 2 (P2) is not valid: its manifest lists a contribution to ".env.example", which is not a mergeable file this phase plans. Fix: delete apps/app/.phases/2 and re-run that phase with --skip-nx-cache.`,
    );
  });

  it('refuses a malformed contribution that matches its hash, naming the phase and the file', () => {
    const bad = { strategy: 'lines', lines: 'PORT=3000' };
    app.record(1, { '.env.example': bad });
    expect(failure()).toBe(
      'The contribution of Phase 1 (P1) to .env.example cannot be merged: its record is malformed ("lines" is not a list of one-line strings). Fix: re-run phase 1 with --skip-nx-cache.',
    );
  });

  it('refuses a contributions.json reached through a symlink, without reading it', () => {
    app.record(1, { '.env.example': env });
    const outside = join(app.ws.root, 'outside.json');
    writeFileSync(outside, JSON.stringify({ '.env.example': env }));
    rmSync(join(app.ws.root, 'apps/app/.phases/1/contributions.json'));
    symlinkSync(outside, join(app.ws.root, 'apps/app/.phases/1/contributions.json'));
    expect(failure()).toBe(
      '".phases/1/contributions.json" is a symlink, so ".phases/1/contributions.json" could land outside the app root. Fix: delete apps/app/.phases/1 and re-run Phase 1 (P1) with --skip-nx-cache.',
    );
  });
});

describe('contributionsText / hashContribution', () => {
  it('writes files sorted, two-space JSON, number literals as written, a final newline', () => {
    const contributions: PhaseContributions = new Map<string, never>([
      ['src/routes.tsx', { strategy: 'regions', regions: [{ name: 'a', lines: ['x'] }] } as never],
      ['.env.example', { strategy: 'lines', lines: ['A=1'] } as never],
      ['package.json', { strategy: 'json', entries: [{ op: 'set', path: ['n'], value: new JsonNumber('1.0') }] } as never],
    ]);
    expect(contributionsText(contributions)).toBe(
      [
        '{',
        '  ".env.example": {',
        '    "strategy": "lines",',
        '    "lines": [',
        '      "A=1"',
        '    ]',
        '  },',
        '  "package.json": {',
        '    "strategy": "json",',
        '    "entries": [',
        '      {',
        '        "op": "set",',
        '        "path": [',
        '          "n"',
        '        ],',
        '        "value": 1.0',
        '      }',
        '    ]',
        '  },',
        '  "src/routes.tsx": {',
        '    "strategy": "regions",',
        '    "regions": [',
        '      {',
        '        "name": "a",',
        '        "lines": [',
        '          "x"',
        '        ]',
        '      }',
        '    ]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('hashes the stable JSON of a contribution (keys sorted), as the manifest records it', () => {
    expect(hashContribution({ strategy: 'lines', lines: ['A=1'] })).toBe(sha('{"lines":["A=1"],"strategy":"lines"}'));
    expect(hashContribution({ strategy: 'json', entries: [{ value: new JsonNumber('1.0'), path: ['n'], op: 'set' }] })).toBe(
      sha('{"entries":[{"op":"set","path":["n"],"value":1.0}],"strategy":"json"}'),
    );
    expect(contributionHashes(new Map([['.env.example', { strategy: 'lines', lines: ['A=1'] }]]) as PhaseContributions)).toEqual({
      '.env.example': sha('{"lines":["A=1"],"strategy":"lines"}'),
    });
  });
});
