import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';

/** Where a JSON text first breaks the grammar, and why. */
export interface JsonSyntaxIssue {
  /** 0-based offset (UTF-16 code units) of the offending character. */
  offset: number;
  message: string;
}

/** Where the parser is, as far as error messages need to know. */
interface ParseState {
  containers: Array<'{' | '['>;
  /** A property name (or the end of the object) comes next. */
  expectingKey: boolean;
  /** A property name was just read, so its ':' comes next. */
  expectingColon: boolean;
  /** The innermost container was just opened: nothing has been read inside it yet. */
  justOpened: boolean;
  /** The container closed last held nothing (jsonc-parser closes a container before it reports its missing closer). */
  closedEmpty: boolean;
  /** The top-level value is complete. */
  rootDone: boolean;
}

/** jsonc-parser in strict JSON mode: no comments, no trailing commas, no empty document. */
const STRICT_JSON = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/**
 * The first syntax error of `text` as strict JSON (RFC 8259), found by jsonc-parser (the parser of VS Code),
 * or `undefined` when it is valid JSON. Used to locate errors that JSON.parse reports without a position.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxIssue | undefined {
  const state: ParseState = { containers: [], expectingKey: false, expectingColon: false, justOpened: false, closedEmpty: false, rootDone: false };
  let issue: JsonSyntaxIssue | undefined;
  const moved = (to: Partial<ParseState>) => void Object.assign(state, { expectingKey: false, expectingColon: false, justOpened: false }, to);
  const valueEnded = () => moved({ rootDone: state.containers.length === 0 });
  const containerEnded = () => (state.containers.pop(), moved({ rootDone: state.containers.length === 0, closedEmpty: state.justOpened }));
  visit(
    text,
    {
      onObjectBegin: () => (state.containers.push('{'), moved({ expectingKey: true, justOpened: true })),
      onArrayBegin: () => (state.containers.push('['), moved({ justOpened: true })),
      onObjectEnd: containerEnded,
      onArrayEnd: containerEnded,
      onLiteralValue: valueEnded,
      onObjectProperty: () => moved({ expectingColon: true }),
      onSeparator: (separator) => moved({ expectingKey: separator === ',' && state.containers[state.containers.length - 1] === '{' }),
      onError: (code, offset, length) => void (issue ??= describeError(text, code, offset, length, state)),
    },
    STRICT_JSON,
  );
  return issue;
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

/** jsonc-parser's error names (`printParseErrorCode`); its codes are a const enum, which isolated modules cannot read. */
type ErrorName = ReturnType<typeof printParseErrorCode>;

/** A user-facing sentence for jsonc-parser's error, pointing at the offending character. */
function describeError(text: string, errorCode: ParseErrorCode, offset: number, length: number, state: ParseState): JsonSyntaxIssue {
  const code = printParseErrorCode(errorCode) as ErrorName;
  // jsonc-parser reports a missing closer after it closed the container, so the code names it.
  const open = state.containers[state.containers.length - 1];
  const closer = code === 'CloseBracketExpected' ? ']' : code === 'CloseBraceExpected' ? '}' : open === '[' ? ']' : '}';
  // A missing closer (Close*Expected) is reported only at the end of input: jsonc-parser leaves a container's loop there.
  if (offset >= text.length) return { offset, message: `Unexpected end of input; expected ${expectedAtEnd(code, closer, state)}.` };
  const found = describe(text[offset]);
  switch (code) {
    case 'CommaExpected':
      return { offset, message: `Expected ',' or '${closer}' but found ${found}.` };
    case 'ColonExpected':
      return { offset, message: `Expected ':' after the property name but found ${found}.` };
    case 'PropertyNameExpected':
      return { offset, message: `Expected a double-quoted property name but found ${found}.` };
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return { offset, message: 'Comments are not allowed in JSON.' };
    case 'UnexpectedEndOfString':
    case 'InvalidCharacter':
    case 'InvalidEscapeCharacter':
    case 'InvalidUnicode':
      return stringError(text, offset, length);
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return { offset, message: `Invalid number ${JSON.stringify(text.slice(offset, offset + length))}: JSON numbers need digits after '.' and after an exponent.` };
    case 'EndOfFileExpected':
      return { offset, message: `Unexpected ${found} after the end of the JSON document.` };
    default:
      // InvalidSymbol or ValueExpected: something that is not a value, or not allowed here.
      if (state.rootDone) return { offset, message: `Unexpected ${found} after the end of the JSON document.` };
      if (state.expectingKey) return { offset, message: `Expected a double-quoted property name but found ${found}.` };
      if (state.expectingColon) return { offset, message: `Expected ':' after the property name but found ${found}.` };
      return { offset, message: `Unexpected ${found}; expected a value.` };
  }
}

/** What was expected when the input ended early. */
function expectedAtEnd(code: ErrorName, closer: string, state: ParseState): string {
  if (code === 'PropertyNameExpected') return 'a double-quoted property name';
  if (code === 'ColonExpected') return "':'";
  // A missing comma is never reported at the end (jsonc-parser leaves the loop there); a missing closer is.
  if (code === 'CloseBraceExpected' || code === 'CloseBracketExpected') {
    if (!state.closedEmpty) return `',' or '${closer}'`;
    return `${closer === '}' ? 'a double-quoted property name' : 'a value'} or '${closer}'`;
  }
  return 'a value';
}

/**
 * jsonc-parser reports a bad string at the string's start; point at the offending character inside it:
 * a raw control character (a line break ends the string for jsonc-parser) or an invalid escape.
 */
function stringError(text: string, start: number, length: number): JsonSyntaxIssue {
  const end = Math.min(text.length, start + length + 1);
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) break;
    if (code < 0x20) return { offset: i, message: 'Unescaped control character (such as a line break) inside a string.' };
    if (code === 92) {
      if (!VALID_ESCAPE.test(text.slice(i, i + 6))) return { offset: i, message: 'Invalid escape sequence inside a string.' };
      i += 1;
    }
  }
  return { offset: start, message: 'Unterminated string.' };
}

const VALID_ESCAPE = /^\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/;

/** Describes a character for an error message (invisible ones by code point). */
function describe(c: string): string {
  const code = c.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `control character ${hex}`;
  if (code > 0x7e && /\s|\p{Cf}/u.test(c)) return `character ${hex}`;
  return `'${c}'`;
}
