import { assertJsonTextDepth, JsonDepthError, MAX_JSON_DEPTH } from './json-depth';

/** The error `assertJsonTextDepth` throws for `text`, or undefined. */
function depthError(text: string, limit?: number): JsonDepthError | undefined {
  try {
    assertJsonTextDepth(text, limit);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonDepthError);
    return error as JsonDepthError;
  }
  return undefined;
}

describe('assertJsonTextDepth (runs before any recursive parser)', () => {
  it(`reads exactly ${MAX_JSON_DEPTH} levels and refuses one more, naming the limit and where`, () => {
    expect(depthError(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeUndefined();
    const error = depthError(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)!;
    expect(error.name).toBe('JsonDepthError');
    expect(error.limit).toBe(MAX_JSON_DEPTH);
    expect(error.message).toBe(
      `it nests objects and arrays more than 256 levels deep (line 1, column ${MAX_JSON_DEPTH + 1}); nx-phases reads JSON up to 256 levels.`,
    );
  });

  it('counts objects and arrays alike, at a given limit, and points at the opener one too deep', () => {
    expect(depthError('{"a": [{"b": 1}]}', 3)).toBeUndefined();
    expect(depthError('{"a": [{"b": [1]}]}', 3)?.message).toBe(
      'it nests objects and arrays more than 3 levels deep (line 1, column 14); nx-phases reads JSON up to 3 levels.',
    );
    expect(depthError('{\n  "a": {\n    "b": {}\n  }\n}', 2)?.message).toContain('(line 3, column 10)');
  });

  it('counts nesting, not containers: closed siblings do not add up', () => {
    expect(depthError('[[], {}, [1], {"a": []}, [[]]]', 3)).toBeUndefined();
    expect(depthError('[[], {}, [1], {"a": []}, [[]]]', 2)?.message).toContain('(line 1, column 21)');
  });

  it('ignores brackets inside strings, escaped quotes and backslashes included', () => {
    expect(depthError('["[[[{{{"]', 1)).toBeUndefined();
    expect(depthError('["a\\"[[[", "{{"]', 1)).toBeUndefined();
    expect(depthError('["a\\\\", [1]]', 1)?.message).toContain('(line 1, column 9)');
    expect(depthError('{"k[": "}", "v": {"w": 1}}', 1)?.message).toContain('(line 1, column 18)');
  });

  it('accepts text without containers, and the empty text', () => {
    expect(depthError('', 0)).toBeUndefined();
    expect(depthError('"[" 1 true', 0)).toBeUndefined();
    expect(depthError('[]', 0)?.message).toContain('more than 0 levels deep (line 1, column 1)');
  });
});
