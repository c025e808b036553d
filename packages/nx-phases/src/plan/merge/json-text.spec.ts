import { stableStringify } from '../../runtime/hash';
import { JsonDepthError, MAX_JSON_DEPTH } from '../json-depth';
import { JsonNumber } from './json-number';
import { parseJsonLossless, stableJson, writeJson } from './json-text';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseJsonLossless / writeJson', () => {
  it('keeps every number literal exactly as written', () => {
    const text = '{"appId":12345678901234567890,"ratio":0.10000000000000000555,"one":1.0,"zero":-0,"big":1E+300,"list":[1,1.0,1e0]}';
    const value = parseJsonLossless(text) as Record<string, unknown>;
    expect(value.appId).toEqual(new JsonNumber('12345678901234567890'));
    expect(writeJson(value)).toBe(text);
    expect(writeJson(value, '  ')).toContain('"appId": 12345678901234567890,\n  "ratio": 0.10000000000000000555,');
  });

  it('lays out plain JSON exactly as JSON.stringify does, with and without indentation', () => {
    const samples = ['{}', '[]', '{"a":[],"b":{},"c":[{"d":[1,"x",null,true,false]}],"e":"q\\"\\u0001\\n","__proto__":{"p":1}}', '"s"', '[[[]],{"k":{}}]'];
    for (const sample of samples) {
      const lossless = parseJsonLossless(sample);
      expect(writeJson(lossless)).toBe(JSON.stringify(JSON.parse(sample)));
      expect(writeJson(lossless, '  ')).toBe(JSON.stringify(JSON.parse(sample), null, 2));
    }
  });

  it('gives objects no prototype, so __proto__ stays a plain key', () => {
    const value = parseJsonLossless('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hashes plain values as the stable JSON used before (records written earlier stay valid), numbers by literal', () => {
    const value = { b: [1, 'x', { d: null, c: true }], a: { z: 'é', y: undefined } };
    expect(stableJson(value)).toBe(stableStringify(value));
    expect(stableJson({ n: new JsonNumber('1.0') })).toBe('{"n":1.0}');
  });

  it('refuses a key repeated in one object instead of dropping one of its values', () => {
    expect(() => parseJsonLossless('{\n  "a": 1,\n  "b": { "c": 1, "c": 2 }\n}')).toThrow(
      'the key "c" appears twice in one object (line 3, column 18), so one of its values would be lost',
    );
    expect(parseJsonLossless('{ "a": { "c": 1 }, "b": { "c": 2 } }')).toEqual({ a: { c: new JsonNumber('1') }, b: { c: new JsonNumber('2') } });
  });

  it('rejects bad JSON with JSON.parse\'s message', () => {
    expect(() => parseJsonLossless('{"a": 1,}')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a": Infinity}')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('')).toThrow(SyntaxError);
  });

  it(`reads ${MAX_JSON_DEPTH} levels and refuses one more with a clear error, however deep the input (no stack overflow)`, () => {
    expect(parseJsonLossless(nested(MAX_JSON_DEPTH))).toBeDefined();
    expect(() => parseJsonLossless(nested(MAX_JSON_DEPTH + 1))).toThrow(JsonDepthError);
    for (const text of [nested(20_000), `{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_001)}`]) {
      expect(() => parseJsonLossless(text)).toThrow(`it nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (line 1, column`);
    }
  });

  it('does not count brackets inside strings', () => {
    expect(parseJsonLossless(`{"a":"${'['.repeat(1000)}\\"{"}`)).toEqual(expect.anything());
  });

  it('drops only a leading byte-order mark, and keeps one inside a string', () => {
    expect(writeJson(parseJsonLossless('\uFEFF{"a":1}'))).toBe('{"a":1}');
    expect(writeJson(parseJsonLossless('{"a":"x\uFEFFy"}'))).toBe('{"a":"x\uFEFFy"}');
  });

  it('writes a missing array item as null, as JSON.stringify does', () => {
    expect(writeJson([1, undefined])).toBe(JSON.stringify([1, undefined]));
    expect(writeJson([1, undefined], '  ')).toBe(JSON.stringify([1, undefined], null, 2));
  });
});
