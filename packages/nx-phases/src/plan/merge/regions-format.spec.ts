import { parseRegions, regionLineProblem, regionsOf, renderRegions, skeletonText } from './regions-format';

describe('region markers', () => {
  it.each([
    ['// nx-phases:region a', '// nx-phases:end a'],
    ['//nx-phases:region a', '//nx-phases:end a'],
    ['// nx-phases:region  a', '// nx-phases:end\ta'],
    ['\t  //   nx-phases:region a-b_1   ', '  // nx-phases:end a-b_1'],
    ['# nx-phases:region A1', '# nx-phases:end A1'],
    ['-- nx-phases:region a', '-- nx-phases:end a'],
    ['; nx-phases:region a', '; nx-phases:end a'],
    ['/* nx-phases:region a */', '/* nx-phases:end a*/'],
    ['/* nx-phases:region a', '/* nx-phases:end a'],
    ['{/* nx-phases:region a */}', '{ /* nx-phases:end a */ }'],
    ['<!-- nx-phases:region a -->', '<!--nx-phases:end a-->'],
  ])('reads %j … %j as one region', (open, close) => {
    const document = parseRegions(`before\n${open}\nx\n${close}\nafter\n`);
    expect(regionsOf(document)).toEqual([{ kind: 'region', name: open.includes('A1') ? 'A1' : open.includes('a-b_1') ? 'a-b_1' : 'a', open: open.trimEnd(), close: close.trimEnd(), lines: ['x'] }]);
  });

  it.each([
    'x // nx-phases:region a',
    '// nx-phases:region a x',
    '// nx-phases:region',
    '// nx-phases:region 1a',
    '// nx-phases:region a.b',
    '/ nx-phases:region a',
    '% nx-phases:region a',
    '// nx-phases:region a -->x',
    '// nx-phases:region a */}}',
    '* nx-phases:region a',
  ])('refuses the malformed marker %j, naming its line', (line) => {
    expect(() => parseRegions(`ok\n${line}\n`)).toThrow(
      `line 2: ${JSON.stringify(line.trim())} is not a valid marker; write "// nx-phases:region <name>" or "// nx-phases:end <name>" on a line of its own.`,
    );
  });

  it('takes a line that only mentions a similar word as text', () => {
    const text = ['// nx-phases:regional', '// nx-phases:endless', '// nx-phases:regions a', '//nx-phases:enda'];
    expect(parseRegions(`${text.join('\n')}\n`).blocks).toEqual([{ kind: 'text', lines: text }]);
  });
});

describe('parseRegions / renderRegions', () => {
  it('drops a byte-order mark, "\\r", trailing spaces and blank region lines; keeps blank text lines; one final newline', () => {
    const document = parseRegions('\uFEFFhead  \r\n\r\n// nx-phases:region a\r\n  x();  \r\n\r\n   \r\n// nx-phases:end a\r\ntail\r\n');
    expect(document.blocks).toEqual([
      { kind: 'text', lines: ['head', ''] },
      { kind: 'region', name: 'a', open: '// nx-phases:region a', close: '// nx-phases:end a', lines: ['  x();'] },
      { kind: 'text', lines: ['tail'] },
    ]);
    expect(renderRegions(document)).toBe('head\n\n// nx-phases:region a\n  x();\n// nx-phases:end a\ntail\n');
    expect(skeletonText(document)).toBe('head\n\n// nx-phases:region a\n// nx-phases:end a\ntail\n');
  });

  it('keeps a last line without a newline, and an empty file empty', () => {
    expect(parseRegions('a\nb').blocks).toEqual([{ kind: 'text', lines: ['a', 'b'] }]);
    expect(parseRegions('a\n\n').blocks).toEqual([{ kind: 'text', lines: ['a', ''] }]);
    expect(parseRegions('').blocks).toEqual([]);
    expect(renderRegions({ blocks: [] })).toBe('');
    expect(renderRegions({ blocks: [{ kind: 'text', lines: [''] }] })).toBe('\n');
  });

  it('starts a new text block after each region', () => {
    const document = parseRegions('// nx-phases:region a\n// nx-phases:end a\n// nx-phases:region b\n// nx-phases:end b\nx\n');
    expect(document.blocks.map((block) => block.kind)).toEqual(['region', 'region', 'text']);
  });
});

describe('regionLineProblem', () => {
  it.each([
    ['x();', undefined],
    ['  x();', undefined],
    ['// nx-phases:regional', undefined],
    ['a\nb', 'it holds a line break'],
    ['a\rb', 'it holds a line break'],
    ['// nx-phases:end a', 'it holds a region marker ("nx-phases:region" or "nx-phases:end")'],
    ['x(); // nx-phases:region a', 'it holds a region marker ("nx-phases:region" or "nx-phases:end")'],
    ['', 'it is blank'],
    [' \t ', 'it is blank'],
    ['x(); ', 'it ends in spaces'],
    ['x();\t', 'it ends in spaces'],
  ])('%j: %s', (line, problem) => {
    expect(regionLineProblem(line)).toBe(problem);
  });
});

describe('region syntax errors', () => {
  it('are RegionSyntaxErrors quoting a malformed marker without its indentation', () => {
    let error: unknown;
    try {
      parseRegions('ok\n    x(); // nx-phases:region a\n');
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).toBe(
      'RegionSyntaxError: line 2: "x(); // nx-phases:region a" is not a valid marker; write "// nx-phases:region <name>" or "// nx-phases:end <name>" on a line of its own.',
    );
  });

  it('drop only a leading byte-order mark, not one inside a line', () => {
    expect(parseRegions('\uFEFFa\uFEFFb\n').blocks).toEqual([{ kind: 'text', lines: ['a\uFEFFb'] }]);
  });

  it('keep every U+FEFF of a file that does not start with one, in text and region lines alike', () => {
    const text = 'a\uFEFFb\n// nx-phases:region r\nconst bom = "\uFEFF";\n// nx-phases:end r\n';
    expect(renderRegions(parseRegions(text))).toBe(text);
  });
});
