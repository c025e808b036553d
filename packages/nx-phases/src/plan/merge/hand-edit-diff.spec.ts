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
});
