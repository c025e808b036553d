const CODE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const TYPE_DECLARATION = /^export\s+(declare\s+)?(interface|type\s+\w+|enum|const\s+enum)\b/;
const RE_EXPORT = /^export\s+(type\s+)?(\*|\{)/;
const MAX_DECLARATION_LINES = 40;
const MAX_SIGNATURE_CHARS = 400;

/**
 * The exported API of a JS/TS file, one entry per top-level `export`: full text for interfaces,
 * types and enums (up to 40 lines); functions, classes and variables up to their body, which
 * becomes `{…}`; re-exports and short statements as written. Empty for other file types.
 */
export function extractExportedSignatures(path: string, content: string): string[] {
  if (!CODE_FILE.test(path)) return [];
  const lines = content.split(/\r?\n/);
  const signatures: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index].startsWith('export ')) continue;
    const declaration = TYPE_DECLARATION.test(lines[index]) ? typeDeclaration(lines, index) : signature(lines, index);
    signatures.push(declaration.text);
    index = declaration.end;
  }
  return signatures;
}

/** Lines from `start` until brackets balance at the end of a line that completes the statement. */
function typeDeclaration(lines: string[], start: number): { text: string; end: number } {
  let depth = 0;
  let end = start;
  for (; end < lines.length - 1 && end - start < MAX_DECLARATION_LINES - 1; end++) {
    depth += bracketDelta(lines[end]);
    const continues = /^[|&]/.test(lines[end + 1].trimStart()) || /[=|&,(<]$/.test(lines[end].trimEnd());
    if (depth <= 0 && !continues) break;
  }
  if (end === lines.length - 1 || end - start === MAX_DECLARATION_LINES - 1) depth += bracketDelta(lines[end]);
  const text = lines.slice(start, end + 1).join('\n');
  return { text: depth > 0 ? `${text}\n  // …` : text, end };
}

/** The statement's head (until parentheses balance at a line end), cut where its body starts. */
function signature(lines: string[], start: number): { text: string; end: number } {
  let head = lines[start];
  let parens = parenDelta(lines[start]);
  let end = start;
  while (parens > 0 && end < lines.length - 1 && end - start < MAX_DECLARATION_LINES - 1) {
    end++;
    head += `\n${lines[end]}`;
    parens += parenDelta(lines[end]);
  }
  const body = RE_EXPORT.test(head) ? -1 : bodyStart(head);
  return { text: clip(body < 0 ? head.trimEnd() : `${head.slice(0, body).trimEnd()} {…}`), end };
}

/** Index of the first `{` outside parentheses and generics that is not a type literal after `:`. */
function bodyStart(head: string): number {
  let depth = 0;
  let typeBraces = 0;
  for (let i = 0; i < head.length; i++) {
    const char = head[i];
    if (char === '(' || char === '<') depth++;
    else if (char === ')' || (char === '>' && head[i - 1] !== '=')) depth--;
    else if (char === '}' && typeBraces > 0) typeBraces--;
    else if (char === '{' && depth <= 0) {
      if (typeBraces > 0 || /:\s*$/.test(head.slice(0, i))) typeBraces++;
      else return i;
    }
  }
  return -1;
}

function clip(text: string): string {
  return text.length > MAX_SIGNATURE_CHARS ? `${text.slice(0, MAX_SIGNATURE_CHARS)}…` : text;
}

function parenDelta(line: string): number {
  return [...line].reduce((sum, char) => sum + (char === '(' ? 1 : char === ')' ? -1 : 0), 0);
}

function bracketDelta(line: string): number {
  return [...line].reduce((sum, char) => sum + ('{(['.includes(char) ? 1 : '})]'.includes(char) ? -1 : 0), 0);
}
