/** A line of generated source, or a skipped one (`false`, `undefined`), or a group of lines. */
export type SourceLine = string | false | undefined | readonly SourceLine[];

/** Joins the kept lines with "\n" and ends the file with exactly one newline. */
export function source(...parts: SourceLine[]): string {
  return `${flatten(parts).join('\n').replace(/\n+$/, '')}\n`;
}

function flatten(parts: readonly SourceLine[]): string[] {
  return parts.flatMap((part) => (typeof part === 'string' ? [part] : part ? flatten(part) : []));
}

/** Text that is safe inside a one-line block comment (no newlines, no comment terminator). */
export function commentText(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim();
}

/** A one-line JSDoc comment. */
export function doc(text: string): string {
  return `/** ${commentText(text)} */`;
}

/** A single-quoted TypeScript string literal, escaped (it's → 'it\'s'). */
export function literal(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${escaped}'`;
}

/** JSX child text: plain when it is safe as written, else a string expression (`{'<b> & {c}'}`). */
export function jsxText(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 .,:;!?()@/-]*$/.test(value) && !value.endsWith(' ') ? value : `{${literal(value)}}`;
}

/** A JSX attribute value: a plain quoted string when safe, else a string expression. */
export function jsxAttribute(value: string): string {
  return /^[^"&{}<>\\\n]*$/.test(value) ? `"${value}"` : `{${literal(value)}}`;
}

/** Indents every line of a block by `depth` levels of two spaces. */
export function indent(depth: number, block: readonly string[]): string[] {
  const pad = '  '.repeat(depth);
  return block.map((line) => (line === '' ? '' : `${pad}${line}`));
}

/** A readable list of names ("A, B and C"); `fallback` when empty. */
export function listText(names: readonly string[], fallback: string): string {
  if (names.length === 0) return fallback;
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
