import { childPath, compareJsonPaths, pointerToPath } from './json-path';

describe('JSON paths', () => {
  it.each([
    ['', '(root)'],
    ['/name', 'name'],
    ['/phases/3/dependencies/0', 'phases[3].dependencies[0]'],
    ['/rateLimit/maxConcurrentRequests', 'rateLimit.maxConcurrentRequests'],
    ['/phases/0/generator/options/a~1b', 'phases[0].generator.options["a/b"]'],
  ])('maps the pointer %j to %j', (pointer, path) => {
    expect(pointerToPath(pointer)).toBe(path);
  });

  it('appends keys and indexes', () => {
    expect(childPath('(root)', 'name')).toBe('name');
    expect(childPath('(root)', '$schema')).toBe('$schema');
    expect(childPath('phases[1]', 'plannedFiles')).toBe('phases[1].plannedFiles');
    expect(childPath('phases', 2)).toBe('phases[2]');
    expect(childPath('phases[0]', 'my key')).toBe('phases[0]["my key"]');
  });

  it('orders paths naturally', () => {
    const paths = ['phases[10].name', 'phases[2].number', 'name', 'phases[2].dependencies[11]', 'phases[2].dependencies[3]', 'context[0]'];
    expect([...paths].sort(compareJsonPaths)).toEqual([
      'context[0]',
      'name',
      'phases[2].dependencies[3]',
      'phases[2].dependencies[11]',
      'phases[2].number',
      'phases[10].name',
    ]);
  });
});

describe('JSON paths: keys that are not identifiers, escapes and indexes', () => {
  it.each([
    ['/x/1a', 'x["1a"]'],
    ['/x/a1', 'x.a1'],
    ['/x/01', 'x["01"]'],
    ['/phases/12/dependencies/10', 'phases[12].dependencies[10]'],
    ['/0', '[0]'],
    ['/merge/a~0b', 'merge["a~b"]'],
    ['/merge/~01', 'merge["~1"]'],
    ['/a-b/_c/$d', '["a-b"]._c.$d'],
  ])('maps the pointer %j to %j', (pointer, path) => {
    expect(pointerToPath(pointer)).toBe(path);
  });

  it('brackets keys that start with a digit or hold other characters', () => {
    expect(childPath('(root)', 3)).toBe('[3]');
    expect(childPath('x', '1abc')).toBe('x["1abc"]');
    expect(childPath('x', 'a-b')).toBe('x["a-b"]');
    expect(childPath('x', 'a.b')).toBe('x["a.b"]');
    expect(childPath('x', '')).toBe('x[""]');
  });

  it('compares a path before the paths below it, and equal paths as equal', () => {
    expect(compareJsonPaths('phases', 'phases[0]')).toBeLessThan(0);
    expect(compareJsonPaths('phases[0]', 'phases')).toBeGreaterThan(0);
    expect(compareJsonPaths('a', 'a1')).toBeLessThan(0);
    expect(compareJsonPaths('a1', 'a')).toBeGreaterThan(0);
    expect(compareJsonPaths('phases[3].name', 'phases[3].name')).toBe(0);
    expect(compareJsonPaths('b', 'a')).toBeGreaterThan(0);
    expect(compareJsonPaths('a', 'b')).toBeLessThan(0);
    expect(compareJsonPaths('x[9]', 'x[10]')).toBeLessThan(0);
    expect(compareJsonPaths('x[10]', 'x[9]')).toBeGreaterThan(0);
  });
});
