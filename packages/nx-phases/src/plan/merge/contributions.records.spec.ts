import { MAX_JSON_DEPTH } from '../json-depth';
import { ContributionError } from './errors';
import { readContribution } from './contributions';

const by = { number: 3, name: 'Cart' };
const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
const fails = (value: unknown) => {
  try {
    readContribution('package.json', by, value);
  } catch (error) {
    expect(error).toBeInstanceOf(ContributionError);
    return (error as Error).message.replace(/^The contribution of Phase 3 \(Cart\) to package\.json cannot be merged: its record is malformed \((.*)\)\. Fix: re-run phase 3 with --skip-nx-cache\.$/, '$1');
  }
  throw new Error('expected a ContributionError');
};
const TOO_DEEP = `entries[0] is not a valid entry (it nests more than ${MAX_JSON_DEPTH} levels deep, counting its key path)`;

/** An object nested `depth` levels deep: { a: { a: … {} } }. */
function deepObject(depth: number): object {
  let value: object = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

describe('readContribution: the depth limit at its edge, for every kind of entry', () => {
  it('accepts an object entry at the limit and refuses one level more', () => {
    expect(readContribution('f', by, { strategy: 'json', entries: [{ op: 'object', path: keys(MAX_JSON_DEPTH - 1) }] })).toEqual({ strategy: 'json', entries: [{ op: 'object', path: keys(MAX_JSON_DEPTH - 1) }] });
    expect(fails({ strategy: 'json', entries: [{ op: 'object', path: keys(MAX_JSON_DEPTH) }] })).toBe(TOO_DEEP);
  });

  it('accepts a union at the limit and refuses one level more, also for an object inside it', () => {
    expect(readContribution('f', by, { strategy: 'json', entries: [{ op: 'union', path: keys(MAX_JSON_DEPTH - 1), values: ['x'] }] })).toEqual({
      strategy: 'json',
      entries: [{ op: 'union', path: keys(MAX_JSON_DEPTH - 1), values: ['x'] }],
    });
    expect(fails({ strategy: 'json', entries: [{ op: 'union', path: keys(MAX_JSON_DEPTH), values: [] }] })).toBe(TOO_DEEP);
    expect(fails({ strategy: 'json', entries: [{ op: 'union', path: keys(MAX_JSON_DEPTH - 1), values: [{}] }] })).toBe(TOO_DEEP);
  });

  it('accepts a plain value set at the deepest key path', () => {
    for (const value of ['x', null, true, 7]) {
      expect(readContribution('f', by, { strategy: 'json', entries: [{ op: 'set', path: keys(MAX_JSON_DEPTH), value }] }).strategy).toBe('json');
    }
  });

  it('refuses a value set under a key path deeper than the limit, however long (the merge would nest past it)', () => {
    for (const length of [MAX_JSON_DEPTH + 1, 100_000]) {
      expect(fails({ strategy: 'json', entries: [{ op: 'set', path: keys(length), value: 1 }] })).toBe(TOO_DEEP);
    }
  });

  it('counts nested objects like nested arrays', () => {
    expect(readContribution('f', by, { strategy: 'json', entries: [{ op: 'set', path: ['a'], value: deepObject(MAX_JSON_DEPTH - 1) }] }).strategy).toBe('json');
    expect(fails({ strategy: 'json', entries: [{ op: 'set', path: ['a'], value: deepObject(MAX_JSON_DEPTH) }] })).toBe(TOO_DEEP);
  });
});

describe('readContribution: more hostile shapes, each named', () => {
  it.each([
    ['x', 'not an object'],
    [7, 'not an object'],
    [{ strategy: 'json', entries: [{ op: 'set', path: ['a'] }] }, 'entries[0] is not a valid entry'],
    [{ strategy: 'json', entries: [{ op: 'union', path: ['a'], values: 'abc' }] }, 'entries[0] is not a valid entry'],
    [{ strategy: 'json', entries: [{ op: 'union', path: ['a'] }] }, 'entries[0] is not a valid entry'],
    [{ strategy: 'json', entries: [{ op: 'remove', path: ['a'], values: ['x'] }] }, 'entries[0] is not a valid entry'],
    [{ strategy: 'lines', lines: ['a', 1] }, '"lines" is not a list of one-line strings'],
    [{ strategy: 'lines', lines: [1] }, '"lines" is not a list of one-line strings'],
    [{ strategy: 'regions' }, '"regions" is not a list'],
    [{ strategy: 'regions', regions: [null] }, '"regions" holds an entry that is not { name, lines }'],
    [{ strategy: 'regions', regions: ['routes'] }, '"regions" holds an entry that is not { name, lines }'],
    [{ strategy: 'regions', regions: [{ name: 7, lines: [] }] }, '"regions" holds an entry that is not { name, lines }'],
    [{ strategy: 'regions', regions: [{ name: 'a', lines: 'x' }] }, '"regions" holds an entry that is not { name, lines }'],
  ])('refuses %j', (value, problem) => {
    expect(fails(value)).toBe(problem);
  });

  it('keeps no skeleton field for a contributing phase', () => {
    expect(Object.keys(readContribution('f', by, { strategy: 'regions', regions: [] }))).toEqual(['strategy', 'regions']);
  });
});
