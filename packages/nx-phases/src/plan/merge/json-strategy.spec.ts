import { MergeConflictError } from './errors';
import { extractJsonContribution, mergeJsonContributions } from './json-strategy';
import { forbiddenEdit, permutations, recorded } from './test-utils/merge-cases';

const base = JSON.stringify({ name: 'shop', scripts: { dev: 'vite' }, dependencies: { react: '^19.0.0' }, files: ['dist'] });

describe('extractJsonContribution', () => {
  it('records every key of a created file, objects key by key and arrays of plain values as unions', () => {
    const contribution = extractJsonContribution('package.json', undefined, '{ "name": "shop", "scripts": { "dev": "vite" }, "files": ["dist", "dist"], "engines": {} }');
    expect(contribution).toEqual({
      strategy: 'json',
      entries: [
        { op: 'set', path: ['name'], value: 'shop' },
        { op: 'object', path: ['scripts'] },
        { op: 'set', path: ['scripts', 'dev'], value: 'vite' },
        { op: 'union', path: ['files'], values: ['dist'] },
        { op: 'object', path: ['engines'] },
      ],
    });
  });

  it('records only what the phase added, ignoring key order and formatting', () => {
    const version = {
      dependencies: { zod: '^3.0.0', react: '^19.0.0' },
      files: ['dist', 'README.md'],
      scripts: { dev: 'vite', test: 'vitest' },
      name: 'shop',
      keywords: ['shop'],
    };
    expect(extractJsonContribution('package.json', base, JSON.stringify(version, null, 4)).entries).toEqual([
      { op: 'set', path: ['dependencies', 'zod'], value: '^3.0.0' },
      { op: 'union', path: ['files'], values: ['README.md'] },
      { op: 'set', path: ['scripts', 'test'], value: 'vitest' },
      { op: 'union', path: ['keywords'], values: ['shop'] },
    ]);
  });

  it('records nothing for an unchanged file', () => {
    expect(extractJsonContribution('package.json', base, base).entries).toEqual([]);
  });

  it('treats arrays holding objects as one value', () => {
    const given = JSON.stringify({ overrides: [{ files: '*.ts' }] });
    expect(extractJsonContribution('x.json', given, given).entries).toEqual([]);
    expect(extractJsonContribution('x.json', undefined, given).entries).toEqual([{ op: 'set', path: ['overrides'], value: [{ files: '*.ts' }] }]);
    const error = forbiddenEdit(() => extractJsonContribution('x.json', given, JSON.stringify({ overrides: [{ files: '*.ts' }, { files: '*.js' }] })));
    expect(error.edits).toEqual([{ entry: 'overrides', message: 'changed from [{"files":"*.ts"}] to [{"files":"*.ts"},{"files":"*.js"}].' }]);
  });

  it('rejects removals and changed values, naming the file and each entry', () => {
    const version = { name: 'store', scripts: {}, dependencies: { react: '^18.0.0', '@types/react': '^19.0.0' }, files: [] };
    const error = forbiddenEdit(() => extractJsonContribution('package.json', base, JSON.stringify(version)));
    expect(error.file).toBe('package.json');
    expect(error.edits).toEqual([
      { entry: 'name', message: 'changed from "shop" to "store".' },
      { entry: 'scripts.dev', message: 'removed (it was "vite").' },
      { entry: 'dependencies.react', message: 'changed from "^19.0.0" to "^18.0.0".' },
      { entry: 'files', message: 'removed the item "dist".' },
    ]);
    expect(error.message).toContain('package.json is merged (strategy "json"): a phase may only add entries to it');
    expect(error.message).toContain('  - dependencies.react: changed from "^19.0.0" to "^18.0.0".');
    expect(error.message).toMatch(/Fix: keep every entry .* to change an entry, change the phase that added it\.$/);
  });

  it('rejects a changed type (an object replaced by a value and back)', () => {
    const error = forbiddenEdit(() => extractJsonContribution('package.json', base, JSON.stringify({ name: { first: 'shop' }, scripts: 'vite', dependencies: { react: '^19.0.0' }, files: ['dist'] })));
    expect(error.edits.map((edit) => edit.entry)).toEqual(['name', 'scripts']);
  });

  it('quotes keys that are not identifiers in JSON paths', () => {
    const error = forbiddenEdit(() => extractJsonContribution('package.json', JSON.stringify({ dependencies: { '@types/react': '1' } }), '{ "dependencies": {} }'));
    expect(error.edits[0].entry).toBe('dependencies["@types/react"]');
  });

  it('rejects a version that is not a JSON object', () => {
    expect(forbiddenEdit(() => extractJsonContribution('package.json', base, '{ "name": ')).edits[0]).toEqual({
      entry: '(root)',
      message: 'its version cannot be read: it is not valid JSON (Unexpected end of JSON input).',
    });
    expect(forbiddenEdit(() => extractJsonContribution('package.json', undefined, '[1]')).edits).toEqual([
      { entry: '(root)', message: 'its version is [1], not a JSON object.' },
    ]);
  });

  it('says when the merged file the phase was given is unreadable, not blaming its version', () => {
    expect(forbiddenEdit(() => extractJsonContribution('package.json', '{ "name": ', '{}')).edits).toEqual([
      { entry: '(root)', message: 'the merged file it was given cannot be read: it is not valid JSON (Unexpected end of JSON input).' },
    ]);
    expect(forbiddenEdit(() => extractJsonContribution('package.json', '"shop"', '{}')).edits).toEqual([
      { entry: '(root)', message: 'the merged file it was given is "shop", not a JSON object.' },
    ]);
  });

  it('treats __proto__ as a plain key', () => {
    const contribution = extractJsonContribution('x.json', undefined, '{ "__proto__": { "polluted": true } }');
    const merged = mergeJsonContributions('x.json', [recorded(1, contribution)]);
    expect(merged).toBe('{\n  "__proto__": {\n    "polluted": true\n  }\n}\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('mergeJsonContributions', () => {
  const setup = extractJsonContribution('package.json', undefined, base);
  const cart = extractJsonContribution('package.json', base, JSON.stringify({ ...JSON.parse(base), dependencies: { react: '^19.0.0', zod: '^3.0.0' }, files: ['dist', 'cart'] }));
  const search = extractJsonContribution('package.json', base, JSON.stringify({ ...JSON.parse(base), dependencies: { react: '^19.0.0', 'fuse.js': '^7.0.0', zod: '^3.0.0' }, scripts: { dev: 'vite', search: 'node index.js' } }));

  it('folds contributions in phase-number order, whatever order they are given in', () => {
    const all = [recorded(1, setup), recorded(4, cart), recorded(6, search)];
    const expected = {
      name: 'shop',
      scripts: { dev: 'vite', search: 'node index.js' },
      dependencies: { react: '^19.0.0', zod: '^3.0.0', 'fuse.js': '^7.0.0' },
      files: ['dist', 'cart'],
    };
    for (const order of permutations(all)) {
      const merged = mergeJsonContributions('package.json', order);
      expect(merged).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    }
  });

  it('merges new objects added by two phases key by key', () => {
    const a = extractJsonContribution('i18n.json', '{}', '{ "cart": { "title": "Cart" } }');
    const b = extractJsonContribution('i18n.json', '{}', '{ "cart": { "empty": "Nothing here" }, "search": { "title": "Search" } }');
    expect(JSON.parse(mergeJsonContributions('i18n.json', [recorded(3, b), recorded(2, a)]))).toEqual({
      cart: { title: 'Cart', empty: 'Nothing here' },
      search: { title: 'Search' },
    });
  });

  it('reports the same key with two values as a conflict naming the file, the key, both phases and the fix', () => {
    const a = extractJsonContribution('package.json', base, JSON.stringify({ ...JSON.parse(base), dependencies: { react: '^19.0.0', zod: '^3.0.0' } }));
    const b = extractJsonContribution('package.json', base, JSON.stringify({ ...JSON.parse(base), dependencies: { react: '^19.0.0', zod: '^4.0.0' } }));
    for (const order of permutations([recorded(7, b), recorded(4, a), recorded(1, setup)])) {
      let error: unknown;
      try {
        mergeJsonContributions('package.json', order);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MergeConflictError);
      expect((error as Error).message).toBe(
        'Merge conflict in package.json at dependencies.zod: Phase 4 (P4) gives it "^3.0.0", Phase 7 (P7) gives it "^4.0.0".\n' +
          'Fix: change one of the two phases so that they agree — use another key (or entry) in one of them, or make phase 7 depend on phase 4 so that it sees "^3.0.0" and keeps it.',
      );
    }
  });

  it('reports an object in one phase and a value in another as a conflict', () => {
    const a = extractJsonContribution('x.json', '{}', '{ "theme": { "dark": true } }');
    const b = extractJsonContribution('x.json', '{}', '{ "theme": "dark" }');
    expect(() => mergeJsonContributions('x.json', [recorded(2, a), recorded(3, b)])).toThrow(
      'Merge conflict in x.json at theme: Phase 2 (P2) gives it an object, Phase 3 (P3) gives it "dark".',
    );
    expect(() => mergeJsonContributions('x.json', [recorded(2, b), recorded(3, a)])).toThrow('at theme: Phase 2 (P2) gives it "dark", Phase 3 (P3) gives it an object.');
  });

  it('reports a list in one phase and a value in another as a conflict, keeping neither', () => {
    const list = extractJsonContribution('x.json', '{}', '{ "files": ["dist"] }');
    const value = extractJsonContribution('x.json', '{}', '{ "files": "dist" }');
    expect(() => mergeJsonContributions('x.json', [recorded(2, list), recorded(3, value)])).toThrow(
      'Merge conflict in x.json at files: Phase 2 (P2) gives it the list ["dist"], Phase 3 (P3) gives it "dist".',
    );
    expect(() => mergeJsonContributions('x.json', [recorded(2, value), recorded(3, list)])).toThrow(
      'Merge conflict in x.json at files: Phase 2 (P2) gives it "dist", Phase 3 (P3) gives it a list of ["dist"].',
    );
    const objects = extractJsonContribution('x.json', '{}', '{ "files": [{ "glob": "dist" }] }');
    expect(() => mergeJsonContributions('x.json', [recorded(2, objects), recorded(3, list)])).toThrow(
      'at files: Phase 2 (P2) gives it the list [{"glob":"dist"}], Phase 3 (P3) gives it a list of ["dist"].',
    );
  });

  it('reports a key under a value another phase set as a conflict at the parent, naming the phase that set it', () => {
    const scalar = extractJsonContribution('x.json', '{}', '{ "theme": "dark" }');
    const nested = extractJsonContribution('x.json', '{}', '{ "theme": { "colors": { "primary": "red" } } }');
    for (const order of permutations([recorded(3, nested), recorded(2, scalar)])) {
      expect(() => mergeJsonContributions('x.json', order)).toThrow(
        'Merge conflict in x.json at theme: Phase 2 (P2) gives it "dark", Phase 3 (P3) gives it an object.',
      );
    }
    const deepOnly = { strategy: 'json' as const, entries: [{ op: 'set' as const, path: ['theme', 'colors', 'primary'], value: 'red' }] };
    expect(() => mergeJsonContributions('x.json', [recorded(2, scalar), recorded(3, deepOnly)])).toThrow(
      'Merge conflict in x.json at theme: Phase 2 (P2) gives it "dark", Phase 3 (P3) gives it an object.',
    );
    expect(() => mergeJsonContributions('x.json', [recorded(2, deepOnly), recorded(3, scalar)])).toThrow(
      'Merge conflict in x.json at theme: Phase 2 (P2) gives it an object, Phase 3 (P3) gives it "dark".',
    );
  });

  it('never lets a later phase overwrite an earlier value: every kind of clash throws and nothing is returned', () => {
    const clashes: Array<[string, string]> = [
      ['{ "a": 1 }', '{ "a": 2 }'],
      ['{ "a": [1] }', '{ "a": 1 }'],
      ['{ "a": 1 }', '{ "a": [1] }'],
      ['{ "a": { "b": 1 } }', '{ "a": 1 }'],
      ['{ "a": 1 }', '{ "a": { "b": 1 } }'],
      ['{ "a": [{ "b": 1 }] }', '{ "a": [{ "b": 2 }] }'],
      ['{ "a": null }', '{ "a": {} }'],
    ];
    for (const [first, second] of clashes) {
      const contributions = [recorded(1, extractJsonContribution('x.json', undefined, first)), recorded(2, extractJsonContribution('x.json', undefined, second))];
      for (const order of permutations(contributions)) expect(() => mergeJsonContributions('x.json', order)).toThrow(MergeConflictError);
    }
  });

  it('accepts the same value added by two phases', () => {
    const a = extractJsonContribution('package.json', '{}', '{ "dependencies": { "zod": "^3.0.0" }, "files": ["a", "b"] }');
    const b = extractJsonContribution('package.json', '{}', '{ "dependencies": { "zod": "^3.0.0" }, "files": ["b", "c"] }');
    expect(JSON.parse(mergeJsonContributions('package.json', [recorded(2, a), recorded(3, b)]))).toEqual({ dependencies: { zod: '^3.0.0' }, files: ['a', 'b', 'c'] });
  });

  it('gives an empty object when the only contribution added nothing', () => {
    expect(mergeJsonContributions('x.json', [recorded(1, { strategy: 'json', entries: [] })])).toBe('{}\n');
  });
});

describe('number literals and depth (issue 17, items 3 and 6)', () => {
  const literals = '{ "appId": 12345678901234567890, "ratio": 0.10000000000000000555, "retries": 3.0, "sizes": [1, 1.0, 10000000000000001] }';

  it('merges numbers exactly as the phases wrote them', () => {
    const setup = extractJsonContribution('config.json', undefined, literals);
    const later = extractJsonContribution('config.json', literals, literals.replace('"appId"', '"max": 9007199254740993, "appId"'));
    const merged = mergeJsonContributions('config.json', [recorded(2, later), recorded(1, setup)]);
    expect(merged).toBe(
      '{\n  "appId": 12345678901234567890,\n  "ratio": 0.10000000000000000555,\n  "retries": 3.0,\n  "sizes": [\n    1,\n    1.0,\n    10000000000000001\n  ],\n  "max": 9007199254740993\n}\n',
    );
  });

  it('compares numbers by literal: a changed literal is a forbidden edit and two literals of one key conflict', () => {
    const error = forbiddenEdit(() => extractJsonContribution('config.json', literals, literals.replace('12345678901234567890', '12345678901234567000')));
    expect(error.edits).toEqual([{ entry: 'appId', message: 'changed from 12345678901234567890 to 12345678901234567000.' }]);
    const a = extractJsonContribution('x.json', '{}', '{ "port": 3000 }');
    const b = extractJsonContribution('x.json', '{}', '{ "port": 3000.0 }');
    expect(() => mergeJsonContributions('x.json', [recorded(2, a), recorded(3, b)])).toThrow('Merge conflict in x.json at port: Phase 2 (P2) gives it 3000, Phase 3 (P3) gives it 3000.0.');
    expect(mergeJsonContributions('x.json', [recorded(2, a), recorded(3, a)])).toBe('{\n  "port": 3000\n}\n');
  });

  it('keeps 1 and 1.0 apart in arrays merged as sets, and a number apart from the same string', () => {
    const a = extractJsonContribution('x.json', '{}', '{ "l": [1, "1"] }');
    const b = extractJsonContribution('x.json', '{}', '{ "l": [1.0, 1] }');
    expect(mergeJsonContributions('x.json', [recorded(2, a), recorded(3, b)])).toBe('{\n  "l": [\n    1,\n    "1",\n    1.0\n  ]\n}\n');
  });

  it('refuses a number too large for a double wherever it is, naming its path', () => {
    const error = forbiddenEdit(() => extractJsonContribution('config.json', undefined, '{ "limits": { "max": 1e400, "list": [2, -1E999] } }'));
    expect(error.edits).toEqual([
      { entry: 'limits.max', message: 'the number 1e400 is too large for JSON tools (it reads as Infinity); write it as a string.' },
      { entry: 'limits.list[1]', message: 'the number -1E999 is too large for JSON tools (it reads as Infinity); write it as a string.' },
    ]);
  });

  it('refuses a version nested deeper than the limit with a message, not a stack overflow', () => {
    const deep = `{ "a": ${'['.repeat(20_000)}${']'.repeat(20_000)} }`;
    expect(forbiddenEdit(() => extractJsonContribution('config.json', undefined, deep)).edits).toEqual([
      { entry: '(root)', message: 'its version cannot be read: it nests objects and arrays more than 256 levels deep (line 1, column 263); nx-phases reads JSON up to 256 levels.' },
    ]);
  });
});
