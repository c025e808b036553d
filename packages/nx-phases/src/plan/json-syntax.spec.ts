import { findJsonSyntaxError, lineAndColumn } from './json-syntax';
import { mulberry32, randomInt } from './test-utils/prng';

describe('findJsonSyntaxError (jsonc-parser in strict JSON mode)', () => {
  it.each([
    ['{"a": [1, 2.5e-3, -0, true, false, null, "x\\u00e9\\n"], "b": {}}'],
    ['  [ ]  '],
    ['"just a string"'],
    ['0'],
  ])('accepts valid JSON %j', (text) => {
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['{"a": 01}', 7, "Expected ',' or '}' but found '1'."],
    ['[1, 2,]', 6, "Unexpected ']'; expected a value."],
    ['{"a" 1}', 5, "Expected ':' after the property name but found '1'."],
    ['{"a": "\\x"}', 7, 'Invalid escape sequence inside a string.'],
    ['{"a": "open', 6, 'Unterminated string.'],
    ['{"a": tru}', 6, "Unexpected 't'; expected a value."],
    ['[1 2]', 3, "Expected ',' or ']' but found '2'."],
    ["{'a': 1}", 1, "Expected a double-quoted property name but found '''."],
    ['{"a": "t\tab"}', 8, 'Unescaped control character (such as a line break) inside a string.'],
    ['{"a": "\\u12"}', 7, 'Invalid escape sequence inside a string.'],
    ['{"a": 1, /* c */ "b": 2}', 9, 'Comments are not allowed in JSON.'],
    ['\u000b{"a": 1}', 0, 'Unexpected control character U+000B; expected a value.'],
    ['[1.]', 1, 'Invalid number "1.": JSON numbers need digits after \'.\' and after an exponent.'],
  ])('locates the error in %j at offset %i', (text, offset, message) => {
    expect(findJsonSyntaxError(text)).toEqual({ offset, message });
  });

  it('agrees with JSON.parse on 2,000 randomly corrupted documents', () => {
    const random = mulberry32(7);
    const valid = JSON.stringify({ name: 'shop', phases: [{ number: 1, deps: [1, 2], ok: true, x: null, f: -1.5e3 }] }, null, 1);
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '0', '1', '-', '.', 'e', 't', 'x'];
    for (let run = 0; run < 2000; run++) {
      const chars = valid.split('');
      for (let edits = randomInt(random, 1, 3); edits > 0; edits--) {
        const at = randomInt(random, 0, chars.length - 1);
        const roll = random();
        if (roll < 0.4) chars.splice(at, 1);
        else if (roll < 0.7) chars.splice(at, 0, alphabet[randomInt(random, 0, alphabet.length - 1)]);
        else chars[at] = alphabet[randomInt(random, 0, alphabet.length - 1)];
      }
      const text = chars.join('');
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect({ text, valid: findJsonSyntaxError(text) === undefined }).toEqual({ text, valid: parses });
    }
  });
});

describe('lineAndColumn', () => {
  it('counts 1-based lines and columns', () => {
    expect(lineAndColumn('ab\ncd\r\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\r\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\r\nef', 7)).toEqual({ line: 3, column: 1 });
    expect(lineAndColumn('ab', 2)).toEqual({ line: 1, column: 3 });
  });
});
