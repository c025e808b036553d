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

  it('stops at the end of the text for an offset past it, and counts empty lines', () => {
    expect(lineAndColumn('ab', 9)).toEqual({ line: 1, column: 10 });
    expect(lineAndColumn('a\n\nb', 3)).toEqual({ line: 3, column: 1 });
    expect(lineAndColumn('a\n\nb', 2)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('\n', 1)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('\n\n', 1)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('x\ny', 1)).toEqual({ line: 1, column: 2 });
  });
});

describe('findJsonSyntaxError: what each broken plan reads', () => {
  it.each([
    // The input ends early: what was expected there.
    ['{"a"', 4, "Unexpected end of input; expected ':'."],
    ['{"a":', 5, 'Unexpected end of input; expected a value.'],
    ['[1', 2, "Unexpected end of input; expected ',' or ']'."],
    ['{"a": 1', 7, "Unexpected end of input; expected ',' or '}'."],
    ['{', 1, "Unexpected end of input; expected a double-quoted property name or '}'."],
    ['[', 1, "Unexpected end of input; expected a value or ']'."],
    ['{"a": {', 7, "Unexpected end of input; expected a double-quoted property name or '}'."],
    ['[[]', 3, "Unexpected end of input; expected ',' or ']'."],
    ['{"a": {}', 8, "Unexpected end of input; expected ',' or '}'."],
    [' ', 1, 'Unexpected end of input; expected a value.'],
    // A container closed by the wrong bracket names the one it needs.
    ['{"a": [1}', 8, "Expected ',' or ']' but found '}'."],
    ['[{"a": 1]', 8, "Expected ',' or '}' but found ']'."],
    ['{"a": {"b": [1, {"c": 2]}}', 23, "Expected ',' or '}' but found ']'."],
    ['[true false]', 6, "Expected ',' or ']' but found 'f'."],
    ['{"a": 1 "b": 2}', 8, "Expected ',' or '}' but found '\"'."],
    // Property names and colons.
    ['{1: 2}', 1, "Expected a double-quoted property name but found '1'."],
    ['{,}', 1, "Expected a double-quoted property name but found ','."],
    ['{"a": "b" , , }', 12, "Expected a double-quoted property name but found ','."],
    ['{"a": 1, "b"}', 12, "Expected ':' after the property name but found '}'."],
    ['{"a" "b"}', 5, "Expected ':' after the property name but found '\"'."],
    // Values.
    ['{"a" : }', 7, "Unexpected '}'; expected a value."],
    ['{"a": [}', 7, "Unexpected '}'; expected a value."],
    ['[,1]', 1, "Unexpected ','; expected a value."],
    ['[1, /', 4, "Unexpected '/'; expected a value."],
    ['nul', 0, "Unexpected 'n'; expected a value."],
    ['[-]', 1, "Unexpected '-'; expected a value."],
    ['[1e]', 1, 'Invalid number "1e": JSON numbers need digits after \'.\' and after an exponent.'],
    ['[1.5e+]', 1, 'Invalid number "1.5e+": JSON numbers need digits after \'.\' and after an exponent.'],
    // After the document.
    ['[1] 2', 4, "Unexpected '2' after the end of the JSON document."],
    ['{"a": 1} {', 9, "Unexpected '{' after the end of the JSON document."],
    ['{"a":1}}', 7, "Unexpected '}' after the end of the JSON document."],
    ['[1]\n\n  ]', 7, "Unexpected ']' after the end of the JSON document."],
    // Strings: the offending character inside the string, not the string's start.
    ['"abc', 0, 'Unterminated string.'],
    ['"ok\\"still', 0, 'Unterminated string.'],
    ['"a\nb"', 2, 'Unescaped control character (such as a line break) inside a string.'],
    ['["a\u0001b"]', 3, 'Unescaped control character (such as a line break) inside a string.'],
    ['"\\u00g1"', 1, 'Invalid escape sequence inside a string.'],
    ['["\\uZZZZ"]', 2, 'Invalid escape sequence inside a string.'],
    ['["a\\qb"]', 3, 'Invalid escape sequence inside a string.'],
    ['["\\n\\t\\\\\\/\\u00e9", "a\\qb"]', 21, 'Invalid escape sequence inside a string.'],
    ['"a\\', 2, 'Invalid escape sequence inside a string.'],
    // Comments, and characters a user cannot see, by code point.
    ['/* c */ 1', 0, 'Comments are not allowed in JSON.'],
    ['[1 /* x', 3, 'Comments are not allowed in JSON.'],
    ['\u200b[]', 0, 'Unexpected character U+200B; expected a value.'],
    ['[\u00a0]', 1, 'Unexpected character U+00A0; expected a value.'],
    ['[\u0001]', 1, 'Unexpected control character U+0001; expected a value.'],
    ['[\u007f]', 1, 'Unexpected control character U+007F; expected a value.'],
    ['[\u0085]', 1, 'Unexpected control character U+0085; expected a value.'],
    ['[\u009f]', 1, 'Unexpected control character U+009F; expected a value.'],
    ['[\u00a1]', 1, "Unexpected '\u00a1'; expected a value."],
    ['[\u00e9]', 1, "Unexpected '\u00e9'; expected a value."],
    ['[~]', 1, "Unexpected '~'; expected a value."],
    // Where the parser was decides the wording: after the document, after a property name, after a value.
    ['[1,2].', 5, "Unexpected '.' after the end of the JSON document."],
    ['1 x', 2, "Unexpected 'x' after the end of the JSON document."],
    ['"plan" ~', 7, "Unexpected '~' after the end of the JSON document."],
    ['{"a"x: 1}', 4, "Expected ':' after the property name but found 'x'."],
    ['{"a": 1, "b" x}', 13, "Expected ':' after the property name but found 'x'."],
    ['{"a": 1 \\}', 8, "Unexpected '\\'; expected a value."],
    ['[1,\u0001]', 3, 'Unexpected control character U+0001; expected a value.'],
    ['}{}', 0, "Unexpected '}'; expected a value."],
    ['{"a": [1, b]}', 10, "Unexpected 'b'; expected a value."],
    ['{"x": [{"a": 1}, b]}', 17, "Unexpected 'b'; expected a value."],
    ['{"a": 1, b": 2}', 9, "Expected a double-quoted property name but found 'b'."],
    ['{"a": {"b": 1, c}}', 15, "Expected a double-quoted property name but found 'c'."],
    ['{"a": {"c":E2}}', 11, "Unexpected 'E'; expected a value."],
    ['{"a": [1, {"c": 2}[}', 18, "Expected ',' or ']' but found '['."],
    ['{"a": [1, "b": 2]}', 13, "Expected ',' or ']' but found ':'."],
    ['[{"a": [1, {"b": 2}]', 20, "Unexpected end of input; expected ',' or '}'."],
    ['{"a": [1],', 10, 'Unexpected end of input; expected a double-quoted property name.'],
    ['', 0, 'Unexpected end of input; expected a value.'],
    ['"str\t+"', 4, 'Unescaped control character (such as a line break) inside a string.'],
    ['{"k": "v\\n\\u00e9}}', 6, 'Unterminated string.'],
    ['{"k": "v\\n\\u0', 10, 'Invalid escape sequence inside a string.'],
    ['"a\\*b"', 2, 'Invalid escape sequence inside a string.'],
    ['{"a": "x y\\q"}', 10, 'Invalid escape sequence inside a string.'],
    ['["\\q\\n"]', 2, 'Invalid escape sequence inside a string.'],
  ])('reports %j at offset %i: %s', (text, offset, message) => {
    expect(findJsonSyntaxError(text)).toEqual({ offset, message });
  });

  it('accepts every valid escape, a 5-digit \\u run read as \\u + 4 digits and a character, and nested containers', () => {
    for (const text of ['["\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\u12345"]', '{"a": [{"b": {}}, []], "c": {"d": [1, {"e": null}]}}', '[[[]], {}]']) {
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });
});
