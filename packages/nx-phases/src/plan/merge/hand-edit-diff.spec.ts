import { describeHandEdit } from './hand-edit-diff';

const merged = '{\n  "name": "app",\n  "dependencies": {\n    "react": "^19.0.0"\n  },\n  "port": 3000\n}\n';

describe('describeHandEdit', () => {
  it('names the json key paths a hand edit added, removed or changed, numbers by literal', () => {
    const edited = '{ "name": "shop", "dependencies": {}, "port": 3000.0, "scripts": { "dev": "vite --port 4000" } }';
    expect(describeHandEdit('json', edited, merged)).toEqual([
      'changed name to "shop" (the merge writes "app")',
      'removed dependencies.react (the merge writes "^19.0.0")',
      'changed port to 3000.0 (the merge writes 3000)',
      'added scripts: {"dev":"vite --port 4000"}',
    ]);
  });

  it('says when only the layout differs, and when the file is no longer JSON', () => {
    expect(describeHandEdit('json', JSON.stringify(JSON.parse(merged)), merged)).toEqual(['only the layout differs (spacing, order or line endings; the content is the same)']);
    expect(describeHandEdit('json', '{ "name": ', merged)).toEqual(['it is not valid JSON any more (Unexpected end of JSON input)']);
    expect(describeHandEdit('json', `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, merged)[0]).toMatch(/^it is not valid JSON any more \(it nests objects and arrays more than 256 levels deep/);
  });

  it('lists added and removed lines for lines and regions files, at most five and a count', () => {
    expect(describeHandEdit('lines', 'A=1\nDEBUG=true\n', 'A=1\nB=2\n')).toEqual(['added line "DEBUG=true"', 'removed line "B=2"']);
    const many = Array.from({ length: 8 }, (_, i) => `x${i}();`).join('\n');
    expect(describeHandEdit('regions', `${many}\n`, '')).toEqual(['added line "x0();"', 'added line "x1();"', 'added line "x2();"', 'added line "x3();"', 'added line "x4();"', '… and 3 more']);
  });

  it('lists five differences without a count, and counts from the sixth', () => {
    const five = Array.from({ length: 5 }, (_, i) => `x${i}();`).join('\n');
    expect(describeHandEdit('lines', five, '')).toEqual(['added line "x0();"', 'added line "x1();"', 'added line "x2();"', 'added line "x3();"', 'added line "x4();"']);
    const six = `${five}\nx5();`;
    expect(describeHandEdit('lines', six, '')).toHaveLength(6);
    expect(describeHandEdit('lines', six, '')[5]).toBe('… and 1 more');
  });

  it('ignores blank lines, spaces-only lines and line endings in lines files, and reads each line once', () => {
    expect(describeHandEdit('lines', 'A=1\r\n\r\n   \nB=2\r\n', 'A=1\nB=2\n')).toEqual(['only the layout differs (spacing, order or line endings; the content is the same)']);
    expect(describeHandEdit('regions', 'b();\na();\n', 'a();\nb();\n')).toEqual(['only the layout differs (spacing, order or line endings; the content is the same)']);
    expect(describeHandEdit('lines', 'A=1\n', 'A=1\nB=2\nC=3\n')).toEqual(['removed line "B=2"', 'removed line "C=3"']);
  });

  it('walks nested objects, naming the deepest key that differs, and a value replaced by an object', () => {
    const written = '{ "a": { "b": { "c": 1, "d": [1, 2] } }, "e": "x" }';
    expect(describeHandEdit('json', '{ "a": { "b": { "c": 2, "d": [2, 1] } }, "e": { "f": 1 } }', written)).toEqual([
      'changed a.b.c to 2 (the merge writes 1)',
      'changed a.b.d to [2,1] (the merge writes [1,2])',
      'changed e to {"f":1} (the merge writes "x")',
    ]);
    expect(describeHandEdit('json', '[1]', written)).toEqual(['changed (root) to [1] (the merge writes {"a":{"b":{"c":1,"d":[1,2]}},"e":"x"})']);
  });

  it('quotes the parser\'s reason without its final full stop', () => {
    expect(describeHandEdit('json', '{"a.b":1,"a.b":2}', '{"a.b":1}')).toEqual(['it is not valid JSON any more (the key "a.b" appears twice in one object (line 1, column 10), so one of its values would be lost)']);
    expect(describeHandEdit('json', `{"a":${'['.repeat(300)}${']'.repeat(300)}}`, '{"a":1}')).toEqual([
      'it is not valid JSON any more (it nests objects and arrays more than 256 levels deep (line 1, column 261); nx-phases reads JSON up to 256 levels)',
    ]);
  });
});

