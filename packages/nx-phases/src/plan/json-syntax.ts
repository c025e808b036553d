/** Where a JSON text first breaks the grammar, and why. */
export interface JsonSyntaxIssue {
  /** 0-based offset (UTF-16 code units) of the offending character. */
  offset: number;
  message: string;
}

type Expectation = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'separatorOrClose';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES = '"\\/bfnrt';
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Scans `text` against the RFC 8259 grammar and returns the first syntax error,
 * or `undefined` when it is valid JSON. Used to locate errors that JSON.parse reports without a position.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxIssue | undefined {
  const stack: string[] = [];
  let expect: Expectation = 'value';
  let i = skipWhitespace(text, 0);
  for (;;) {
    if (expect === 'separatorOrClose' && stack.length === 0) {
      return i < text.length
        ? { offset: i, message: `Unexpected ${describe(text[i])} after the end of the JSON document.` }
        : undefined;
    }
    if (i >= text.length) {
      return { offset: i, message: `Unexpected end of input; expected ${EXPECTED[expect](stack)}.` };
    }
    const c = text[i];
    const top = stack[stack.length - 1];
    const closer = top === '{' ? '}' : ']';
    let next: number | JsonSyntaxIssue;
    if (expect === 'separatorOrClose') {
      if (c === ',') {
        expect = top === '{' ? 'key' : 'value';
        next = i + 1;
      } else if (c === closer) {
        stack.pop();
        next = i + 1;
      } else {
        return { offset: i, message: `Expected ',' or '${closer}' but found ${describe(c)}.` };
      }
    } else if ((expect === 'keyOrClose' && c === '}') || (expect === 'valueOrClose' && c === ']')) {
      stack.pop();
      expect = 'separatorOrClose';
      next = i + 1;
    } else if (expect === 'key' || expect === 'keyOrClose') {
      if (c !== '"') {
        return { offset: i, message: `Expected a double-quoted property name but found ${describe(c)}.` };
      }
      next = scanString(text, i);
      if (typeof next === 'number') {
        next = skipWhitespace(text, next);
        if (text[next] !== ':') {
          return { offset: next, message: `Expected ':' after the property name but found ${describe(text[next])}.` };
        }
        expect = 'value';
        next += 1;
      }
    } else if (c === '{' || c === '[') {
      stack.push(c);
      expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
      next = i + 1;
    } else {
      next = scanScalar(text, i);
      expect = 'separatorOrClose';
    }
    if (typeof next !== 'number') return next;
    i = skipWhitespace(text, next);
  }
}

/** Converts a 0-based offset to a 1-based line and column. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const EXPECTED: Record<Expectation, (stack: string[]) => string> = {
  value: () => 'a value',
  valueOrClose: () => "a value or ']'",
  key: () => 'a double-quoted property name',
  keyOrClose: () => "a double-quoted property name or '}'",
  separatorOrClose: (stack) => `',' or '${stack[stack.length - 1] === '{' ? '}' : ']'}'`,
};

/** Scans a string, number or literal starting at `i`; returns the offset after it or an issue. */
function scanScalar(text: string, i: number): number | JsonSyntaxIssue {
  const c = text[i];
  if (c === '"') return scanString(text, i);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  NUMBER.lastIndex = i;
  const match = NUMBER.exec(text);
  if (match) return i + match[0].length;
  return { offset: i, message: `Unexpected ${describe(c)}; expected a value.` };
}

/** Scans a double-quoted string starting at `start`; returns the offset after the closing quote or an issue. */
function scanString(text: string, start: number): number | JsonSyntaxIssue {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) return i + 1;
    if (code < 0x20) {
      return { offset: i, message: 'Unescaped control character (such as a line break) inside a string.' };
    }
    if (code === 92) {
      const escape = text[i + 1];
      if (escape === 'u' && HEX4.test(text.slice(i + 2, i + 6))) {
        i += 5;
      } else if (escape !== undefined && SIMPLE_ESCAPES.includes(escape)) {
        i += 1;
      } else {
        return { offset: i, message: 'Invalid escape sequence inside a string.' };
      }
    }
  }
  return { offset: start, message: 'Unterminated string.' };
}

/** Skips JSON whitespace (space, tab, line feed, carriage return) from `i`. */
function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) break;
    i++;
  }
  return i;
}

/** Describes a character for an error message. */
function describe(c: string | undefined): string {
  if (c === undefined) return 'the end of input';
  const code = c.charCodeAt(0);
  if (code < 0x20) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${c}'`;
}
