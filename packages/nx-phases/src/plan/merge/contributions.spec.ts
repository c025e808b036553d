import { ContributionError, ForbiddenEditError } from './errors';
import { JsonNumber } from './json-number';
import { extractContribution, mergeContributions, readContribution } from './contributions';
import { regionLineKeys, linesKey } from './line-keys';
import { recorded } from './test-utils/merge-cases';

const by = { number: 3, name: 'Cart' };

/** An array nested `depth` levels deep, built without recursion. */
function deepArray(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('extractContribution / mergeContributions', () => {
  it('dispatches on the strategy', () => {
    expect(extractContribution('a.json', 'json', undefined, '{"a":1}')).toEqual({ strategy: 'json', entries: [{ op: 'set', path: ['a'], value: new JsonNumber('1') }] });
    expect(extractContribution('.gitignore', 'lines', undefined, 'dist\n')).toEqual({ strategy: 'lines', lines: ['dist'] });
    expect(extractContribution('x.ts', 'regions', undefined, 'x\n').strategy).toBe('regions');
    expect(() => extractContribution('a.json', 'json', '{}', 'not json')).toThrow(ForbiddenEditError);
  });

  it('merges each strategy with its own rules, whatever order the contributions come in', () => {
    const env = [recorded(2, { strategy: 'lines', lines: ['B=2'] }), recorded(1, { strategy: 'lines', lines: ['A=1'] })];
    expect(mergeContributions('.env.example', 'lines', env)).toBe('A=1\nB=2\n');
    const skeleton = '// nx-phases:region r\n// nx-phases:end r\n';
    const routes = [recorded(3, { strategy: 'regions', regions: [{ name: 'r', lines: ['b();'] }] }), recorded(1, { strategy: 'regions', skeleton, regions: [{ name: 'r', lines: ['a();'] }] })];
    expect(mergeContributions('src/r.ts', 'regions', routes)).toBe('// nx-phases:region r\na();\nb();\n// nx-phases:end r\n');
    const json = [recorded(2, { strategy: 'json', entries: [{ op: 'set', path: ['b'], value: 'y' }] }), recorded(1, { strategy: 'json', entries: [{ op: 'set', path: ['a'], value: 'x' }] })];
    expect(mergeContributions('x.json', 'json', json)).toBe('{\n  "a": "x",\n  "b": "y"\n}\n');
  });

  it('merges nothing into undefined', () => {
    expect(mergeContributions('a.json', 'json', [])).toBeUndefined();
  });

  it('refuses a contribution recorded for another strategy, or two from one phase', () => {
    const lines = recorded(3, { strategy: 'lines', lines: ['a'] });
    expect(() => mergeContributions('a.json', 'json', [lines])).toThrow(
      'The contribution of Phase 3 (P3) to a.json cannot be merged: it was recorded for strategy "lines", but the plan merges the file as "json". Fix: re-run phase 3 with --skip-nx-cache.',
    );
    expect(() => mergeContributions('.gitignore', 'lines', [lines, lines])).toThrow('the phase has two contributions to it.');
  });
});

describe('readContribution (records are untrusted)', () => {
  it('refuses a value nested 20,000 levels with a message, not a stack overflow', () => {
    expect(() => readContribution('package.json', by, { strategy: 'json', entries: [{ op: 'set', path: ['a'], value: deepArray(20_000) }] })).toThrow(
      'its record is malformed (entries[0] is not a valid entry (it nests more than 256 levels deep, counting its key path)).',
    );
  });

  it('accepts the deepest entry the limit allows, and plain finite numbers as their literal', () => {
    const entry = { op: 'set', path: ['a', 'b'], value: deepArray(254) };
    expect(readContribution('f', by, { strategy: 'json', entries: [entry] })).toEqual({ strategy: 'json', entries: [entry] });
    expect(readContribution('f', by, { strategy: 'json', entries: [{ op: 'set', path: ['n'], value: 0.5 }] })).toEqual({
      strategy: 'json',
      entries: [{ op: 'set', path: ['n'], value: new JsonNumber('0.5') }],
    });
  });

  it('accepts well-formed contributions of every strategy', () => {
    const valid = [
      { strategy: 'json', entries: [{ op: 'object', path: ['a'] }, { op: 'set', path: ['a', 'b'], value: [{ c: null }] }, { op: 'union', path: ['l'], values: [1, 'x', true, null] }] },
      { strategy: 'lines', lines: ['A=1'] },
      { strategy: 'regions', skeleton: '// nx-phases:region a\n// nx-phases:end a\n', regions: [{ name: 'a', lines: ['x'] }] },
      { strategy: 'regions', regions: [] },
    ];
    const numbersAsLiterals = (value: object) => JSON.parse(JSON.stringify(value), (_, item) => (typeof item === 'number' ? new JsonNumber(String(item)) : item));
    for (const value of valid) expect(readContribution('f', by, JSON.parse(JSON.stringify(value)))).toEqual(numbersAsLiterals(value));
  });

  it.each([
    [null, 'not an object'],
    [{ strategy: 'yaml' }, 'unknown strategy "yaml"'],
    [{ strategy: 'json' }, '"entries" is not a list'],
    [{ strategy: 'json', entries: [{ op: 'set', path: [], value: 1 }] }, 'entries[0] is not a valid entry'],
    [{ strategy: 'json', entries: [{ op: 'set', path: ['a', 1], value: 1 }] }, 'entries[0] is not a valid entry'],
    [{ strategy: 'json', entries: [{ op: 'union', path: ['a'], values: [{}] }] }, 'entries[0] is not a valid entry (a union holds only strings, numbers, booleans and null)'],
    [{ strategy: 'json', entries: [{ op: 'delete', path: ['a'] }] }, 'entries[0] is not a valid entry'],
    [{ strategy: 'json', entries: [{ op: 'set', path: ['a'], value: new JsonNumber('1e400') }] }, 'entries[0] is not a valid entry (the number 1e400 is too large for JSON tools (it reads as Infinity); write it as a string)'],
    [{ strategy: 'json', entries: [{ op: 'union', path: ['a'], values: [new JsonNumber('0x10')] }] }, 'entries[0] is not a valid entry ("0x10" is not a JSON number)'],
    [{ strategy: 'json', entries: [{ op: 'set', path: ['a'], value: { b: [Infinity] } }] }, 'entries[0] is not a valid entry (the number Infinity is not finite)'],
    [{ strategy: 'json', entries: [{ op: 'set', path: ['a'], value: NaN }] }, 'entries[0] is not a valid entry (the number NaN is not finite)'],
    [{ strategy: 'json', entries: [{ op: 'object', path: Array.from({ length: 257 }, () => 'k') }] }, 'entries[0] is not a valid entry (it nests more than 256 levels deep, counting its key path)'],
    [{ strategy: 'json', entries: [{ op: 'set', path: ['a', 'b'], value: deepArray(255) }] }, 'entries[0] is not a valid entry (it nests more than 256 levels deep, counting its key path)'],
    [{ strategy: 'lines', lines: ['a\nb'] }, '"lines" is not a list of one-line strings'],
    [{ strategy: 'regions', skeleton: 3, regions: [] }, '"skeleton" is not a string'],
    [{ strategy: 'regions', regions: [{ name: '../x', lines: [] }] }, '"regions" holds an entry that is not { name, lines }'],
    [{ strategy: 'regions', regions: [{ name: 'routes', lines: ['// nx-phases:end routes'] }] }, 'region "routes" holds the line "// nx-phases:end routes": it holds a region marker ("nx-phases:region" or "nx-phases:end")'],
    [{ strategy: 'regions', regions: [{ name: 'routes', lines: ['  {/* nx-phases:region routes */}'] }] }, 'region "routes" holds the line "  {/* nx-phases:region routes */}": it holds a region marker ("nx-phases:region" or "nx-phases:end")'],
    [{ strategy: 'regions', regions: [{ name: 'routes', lines: ['   '] }] }, 'region "routes" holds the line "   ": it is blank'],
    [{ strategy: 'regions', regions: [{ name: 'routes', lines: ['x; '] }] }, 'region "routes" holds the line "x; ": it ends in spaces'],
  ])('rejects %j', (value, problem) => {
    expect(() => readContribution('package.json', by, value)).toThrow(ContributionError);
    expect(() => readContribution('package.json', by, value)).toThrow(
      `The contribution of Phase 3 (Cart) to package.json cannot be merged: its record is malformed (${problem}). Fix: re-run phase 3 with --skip-nx-cache.`,
    );
  });
});

describe('entry keys', () => {
  it('keys NAME=value lines by NAME and other lines by themselves', () => {
    expect(linesKey('API_URL=http://x')).toBe('API_URL');
    expect(linesKey('export TOKEN = a')).toBe('TOKEN');
    expect(linesKey('node_modules/')).toBe('node_modules/');
  });

  it.each([
    ["import { CartPage } from './pages/cart';", ['import CartPage']],
    ["import Default, { A, B as C, type D } from 'x'", ['import Default', 'import A', 'import C', 'import D']],
    ["import * as React from 'react';", ['import React']],
    ["import type { AppRoute } from './routes';", ['import AppRoute']],
    ["  { path: '/cart', title: 'Cart', render: () => <CartPage /> },", ["path: '/cart'"]],
    ['  { "to": "/cart", label: "Cart" },', ['to: "/cart"']],
    ['  { id: 42 },', ['id: 42']],
    ['  cart: CartPage,', ['cart']],
    ['  color: red;', ['color']],
    ['  <CartProvider>', ['<CartProvider>']],
    ["import './styles.css';", ["import './styles.css';"]],
  ])('keys the region line %j as %j', (line, keys) => {
    expect(regionLineKeys(line)).toEqual(keys);
  });
});
