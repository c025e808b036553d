/** `NAME=value` (optionally `export NAME=value`): an environment-style assignment keyed by NAME. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/;

/** `import … from '…'` (also `import type`), with the clause between `import` and `from`. */
const IMPORT = /^\s*import\s+(?:type\s+)?(.+?)\s+from\s+(['"]).*\2\s*;?\s*$/;

/** An object literal on one line: its first property, `{ path: '/cart', … }` → `path: '/cart'`. */
const OBJECT_LITERAL = /^\s*\{\s*(['"]?)([A-Za-z_$][\w$-]*)\1\s*:\s*((['"`]).*?\4|[^,}\s]+)/;

/** A property or assignment line: `cart: CartPage,`, `color: red;`, `key = value`. */
const PROPERTY = /^\s*(['"]?)([A-Za-z_$@-][\w$.@/-]*)\1\s*[:=]\s*\S/;

/**
 * The key of a line in a `lines` file: `NAME` for `NAME=value` lines (so two values of one variable conflict),
 * the line itself otherwise.
 */
export function linesKey(line: string): string {
  const assignment = ASSIGNMENT.exec(line);
  return assignment ? assignment[1] : line;
}

/**
 * The keys of a line added to a region; two different lines with a common key in one region conflict:
 * each name an `import` binds (`import Cart`), the first property of a one-line object literal
 * (`path: '/cart'`), the name of a `name: value` / `name = value` line; any other line is its own key.
 */
export function regionLineKeys(line: string): string[] {
  const imported = IMPORT.exec(line);
  if (imported) {
    const names = importedNames(imported[1]);
    if (names.length > 0) return names.map((name) => `import ${name}`);
  }
  const object = OBJECT_LITERAL.exec(line);
  if (object) return [`${object[2]}: ${object[3]}`];
  const property = PROPERTY.exec(line);
  if (property) return [property[2]];
  return [line.trim()];
}

/** The local names an import clause binds: `A, { B, C as D, type E }` → A, B, D, E; `* as N` → N. */
function importedNames(clause: string): string[] {
  const names: string[] = [];
  const braces = /\{([^}]*)\}/.exec(clause);
  const outside = clause.replace(/\{[^}]*\}/, '').split(',');
  for (const part of outside) {
    const name = part.trim().replace(/^\*\s+as\s+/, '');
    if (/^[A-Za-z_$][\w$]*$/.test(name)) names.push(name);
  }
  for (const part of braces ? braces[1].split(',') : []) {
    const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
    if (/^[A-Za-z_$][\w$]*$/.test(name)) names.push(name);
  }
  return names;
}
