import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnsafePathError } from '../real-path-check';
import { MERGE_RECORD_PATH, readMergeRecord, writeMergeRecord } from './merge-record';
import { MergeApp, sha } from './test-utils/merge-app';

const A = sha('a');
const B = sha('b');

describe('the merge record (.phases/merged.json)', () => {
  let app: MergeApp;
  let appRootAbs: string;
  beforeEach(() => {
    app = new MergeApp({ '.env.example': 'lines', 'package.json': 'json' }, [{ number: 1, plannedFiles: ['.env.example', 'package.json', 'src/a.ts'] }]);
    appRootAbs = join(app.ws.root, app.appRoot);
  });
  afterEach(() => app.dispose());
  const read = () => readMergeRecord(appRootAbs, app.plan);

  it('lives at .phases/merged.json', () => {
    expect(MERGE_RECORD_PATH).toBe('.phases/merged.json');
  });

  it('reads the hashes of each mergeable file, one or two', () => {
    app.write('.phases/merged.json', { version: 1, files: { '.env.example': [A], 'package.json': [A, B] } });
    expect(read()).toEqual({ record: new Map([['.env.example', [A]], ['package.json', [A, B]]]) });
  });

  it('reads as no record, saying why, when missing, unreadable, too deep or of another shape', () => {
    expect(read()).toEqual({ record: new Map(), problem: '.phases/merged.json is missing' });
    app.write('.phases/merged.json', '{ "version": ');
    expect(read()).toEqual({ record: new Map(), problem: '.phases/merged.json cannot be read (Unexpected end of JSON input)' });
    app.write('.phases/merged.json', '{"version":1,"files":{"a.json":[],"a.json":[]}}');
    expect(read()).toEqual({
      record: new Map(),
      problem: '.phases/merged.json cannot be read (the key "a.json" appears twice in one object (line 1, column 35), so one of its values would be lost)',
    });
    app.write('.phases/merged.json', `{"version":1,"files":{"a":${'['.repeat(7)}${']'.repeat(7)}}}`);
    expect(read()).toEqual({
      record: new Map(),
      problem: '.phases/merged.json cannot be read (it nests objects and arrays more than 8 levels deep (line 1, column 33); nx-phases reads JSON up to 8 levels)',
    });
    const shapes = ['[]', 'null', '"x"', '{"version":1,"files":"abc"}', '{"files":{}}', '{"version":2,"files":{}}', '{"version":"2","files":{}}', '{"version":1.0,"files":{}}', '{"version":1,"files":[]}', '{"version":1,"files":null}', '{"version":1}'];
    for (const text of shapes) {
      app.write('.phases/merged.json', text);
      expect(read()).toEqual({ record: new Map(), problem: '.phases/merged.json is not a merge record' });
    }
  });

  it('reads a record eight levels deep, the limit', () => {
    app.write('.phases/merged.json', `{"version":1,"files":{"src/a.ts":${'['.repeat(6)}${']'.repeat(6)}}}`);
    expect(read()).toEqual({ record: new Map() });
  });

  it('skips files the plan does not merge and hashes that are not one or two sha256s', () => {
    app.write('.phases/merged.json', {
      version: 1,
      files: {
        'src/a.ts': [A],
        constructor: [A],
        '.env.example': [A, B, A],
        'package.json': [`x${A}`],
      },
    });
    expect(read()).toEqual({ record: new Map() });
    const hostile = [`["${A}x"]`, `["${A.toUpperCase()}"]`, `["${A.slice(1)}"]`, `["${A}","x"]`, `[${'1'.repeat(64)}]`, `"${A}"`, `{"0":"${A}"}`, '{"length":1}'];
    for (const hashes of hostile) {
      app.write('.phases/merged.json', `{"version":1,"files":{".env.example":${hashes},"package.json":["${B}"]}}`);
      expect(read()).toEqual({ record: new Map([['package.json', [B]]]) });
    }
  });

  it('refuses a record reached through a symlink', () => {
    const outside = join(app.ws.root, 'outside.json');
    writeFileSync(outside, JSON.stringify({ version: 1, files: { '.env.example': [A] } }));
    app.write('.phases/.keep', '');
    symlinkSync(outside, join(appRootAbs, '.phases/merged.json'));
    expect(read).toThrow(UnsafePathError);
    expect(read).toThrow('".phases/merged.json" is a symlink, so ".phases/merged.json" could land outside the app root. Fix: make .phases/merged.json a real file inside the app root, or delete it.');
  });

  it('writes the files sorted, as two-space JSON with a final newline, creating .phases', () => {
    writeMergeRecord(appRootAbs, new Map([['package.json', [B]], ['.env.example', [A, B]], ['a.json', [A]]]));
    expect(app.read('.phases/merged.json')).toBe(
      `{\n  "version": 1,\n  "files": {\n    ".env.example": [\n      "${A}",\n      "${B}"\n    ],\n    "a.json": [\n      "${A}"\n    ],\n    "package.json": [\n      "${B}"\n    ]\n  }\n}\n`,
    );
  });
});
