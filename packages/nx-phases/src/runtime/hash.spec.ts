import { assertJsonTextDepth, JsonDepthError, MAX_JSON_DEPTH } from '../plan/json-depth';
import { hashValue, stableStringify } from './hash';

/** `levels` arrays inside each other (built without recursion), with a string at the bottom. */
function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

describe('hashValue', () => {
  it('is the same for equal values whatever their key order', () => {
    expect(hashValue({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe(hashValue({ a: { d: [1, { e: 3, f: 2 }] }, b: 1 }));
  });

  it('takes values nested as deep as plan parsing allows (256 levels), and refuses one level more, like the text check', () => {
    const atLimit = JSON.stringify(nested(MAX_JSON_DEPTH));
    expect(() => assertJsonTextDepth(atLimit)).not.toThrow();
    expect(hashValue(JSON.parse(atLimit))).toMatch(/^[0-9a-f]{64}$/);
    const over = JSON.stringify(nested(MAX_JSON_DEPTH + 1));
    expect(() => assertJsonTextDepth(over)).toThrow(JsonDepthError);
    expect(() => hashValue(JSON.parse(over))).toThrow(JsonDepthError);
  });

  it('refuses a value nested 100,000 levels deep, or a cyclic one, with a clear error instead of overflowing the stack', () => {
    expect(() => hashValue(nested(100_000))).toThrow('it nests objects and arrays more than 256 levels deep (in a value nx-phases was hashing)');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(() => stableStringify(cyclic)).toThrow(JsonDepthError);
  });
});
