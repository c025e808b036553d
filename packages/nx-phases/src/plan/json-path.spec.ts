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
