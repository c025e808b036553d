import { pathEscape } from './path-escape';

describe('pathEscape (the one rule for a path that could leave its folder)', () => {
  it.each([
    ['/etc/passwd', 'absolute'],
    ['\\escape.ts', 'absolute'],
    ['C:/escape.ts', 'absolute'],
    ['c:notes.md', 'absolute'],
    ['/../x', 'absolute'],
    ['..', 'parent-segment'],
    ['../escape.ts', 'parent-segment'],
    ['src/../../escape.ts', 'parent-segment'],
    ['src/..', 'parent-segment'],
    ['src\\..\\escape.ts', 'parent-segment'],
    ['src/..\\escape.ts', 'parent-segment'],
  ])('%s could leave the folder: %s', (path, escape) => {
    expect(pathEscape(path)).toBe(escape);
  });

  it.each(['src/App.tsx', 'a..b.ts', '..a/x.ts', 'x/a..', '.../x', 'src/.hidden', './src/a.ts', 'notes/c:/x.md', 'src/1:2.ts', '', '.'])(
    '%s stays inside',
    (path) => {
      expect(pathEscape(path)).toBeUndefined();
    },
  );
});
