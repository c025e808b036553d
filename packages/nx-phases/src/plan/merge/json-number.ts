/**
 * A JSON number kept as the literal the phase wrote (`12345678901234567890`, `0.10000000000000000555`, `1.0`), so
 * merging never rounds it: it is compared by literal and written back as it was read.
 */
export class JsonNumber {
  constructor(readonly literal: string) {}

  toString(): string {
    return this.literal;
  }
}

/** RFC 8259 number grammar. */
const NUMBER_LITERAL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * The one rule for numbers in merged JSON, applied when a phase's version is read and when a record is read back:
 * a literal must follow the JSON grammar and stay finite as a double (`1e400` would read as Infinity, which JSON
 * cannot write back). Returns why a literal breaks it, or undefined.
 */
export function numberLiteralProblem(literal: string): string | undefined {
  if (!NUMBER_LITERAL.test(literal)) return `${JSON.stringify(literal)} is not a JSON number`;
  if (!Number.isFinite(Number(literal))) return `the number ${literal} is too large for JSON tools (it reads as Infinity); write it as a string`;
  return undefined;
}
