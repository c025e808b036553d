import { JsonNumber } from './json-number';
import { parseJsonLossless } from './json-text';
import { cloneJson, hasKey, isJsonObject, isJsonScalar, isScalarArray, jsonEqual, keyPathText, scalarKey, uniqueScalars } from './json-values';

const n = (literal: string) => new JsonNumber(literal);

describe('JSON values as merged', () => {
  it('tells objects, scalars and arrays of scalars apart (a number literal is a scalar, not an object)', () => {
    expect([{}, Object.create(null), [], n('1'), null, 'x', 1].map(isJsonObject)).toEqual([true, true, false, false, false, false, false]);
    expect([null, n('1'), 'x', true, false, {}, [], undefined, 1].map(isJsonScalar)).toEqual([true, true, true, true, true, false, false, false, false]);
    expect([[], ['a', n('1'), null, false], ['a', {}], [[]], 'a', {}].map(isScalarArray)).toEqual([true, true, false, false, false, false]);
  });

  it('compares values deeply, numbers by literal, objects in any key order, arrays in order', () => {
    const equal: Array<[unknown, unknown]> = [
      [n('1'), n('1')],
      [parseJsonLossless('{"a":[1,{"b":null}],"c":"x"}'), parseJsonLossless('{"c":"x","a":[1,{"b":null}]}')],
      [[], []],
      [{}, Object.create(null)],
    ];
    const different: Array<[unknown, unknown]> = [
      [n('1'), n('1.0')],
      [n('1'), '1'],
      ['1', n('1')],
      [[n('1')], [n('1'), n('2')]],
      [[n('1'), n('2')], [n('1')]],
      [[n('1'), n('2')], [n('2'), n('1')]],
      [{ a: 'x' }, { a: 'x', b: 'y' }],
      [{ a: 'x', b: 'y' }, { a: 'x' }],
      [{ a: 'x' }, { b: 'x' }],
      [{ a: 'x' }, { a: 'y' }],
      [[], {}],
      [{}, []],
      [null, {}],
      ['a', 'b'],
      [true, false],
    ];
    for (const [a, b] of equal) expect(jsonEqual(a, b)).toBe(true);
    for (const [a, b] of different) expect([a, b, jsonEqual(a, b)]).toEqual([a, b, false]);
  });

  it('keeps the first of repeated scalars, telling 1, 1.0 and "1" apart', () => {
    expect(uniqueScalars([n('1'), '1', n('1.0'), n('1'), '1', null, null, true, 'true'])).toEqual([n('1'), '1', n('1.0'), null, true, 'true']);
    expect([n('1'), '1', null, false].map(scalarKey)).toEqual(['1', '"1"', 'null', 'false']);
  });

  it('copies deeply into objects without a prototype', () => {
    const source = parseJsonLossless('{"a":{"b":[{"c":1}]},"__proto__":{"x":true}}');
    const copy = cloneJson(source) as Record<string, unknown>;
    expect(copy).toEqual(source);
    expect(copy).not.toBe(source);
    expect(Object.getPrototypeOf(copy)).toBeNull();
    const inner = (copy.a as Record<string, unknown>).b as Array<Record<string, unknown>>;
    expect(inner).not.toBe(((source as Record<string, unknown>).a as Record<string, unknown>).b);
    expect(Object.getPrototypeOf(inner[0])).toBeNull();
    expect(hasKey(copy, '__proto__')).toBe(true);
    expect(hasKey(copy, 'toString')).toBe(false);
  });

  it('writes key paths as JSON paths, quoting keys that are not identifiers', () => {
    expect(keyPathText([])).toBe('(root)');
    expect(keyPathText(['dependencies', '@types/react'])).toBe('dependencies["@types/react"]');
    expect(keyPathText(['a', 'b'])).toBe('a.b');
  });
});
