import { lineAndColumn } from './json-syntax';

/**
 * How deep JSON read from disk, a cache or a phase may nest (objects and arrays). Every walk over such JSON
 * (merging, validating and hashing records, manifests and contributions) stays within it, so no input can
 * overflow the stack; real files nest a dozen levels at most.
 */
export const MAX_JSON_DEPTH = 256;

/** A JSON text or value nests deeper than allowed; the message says where and what the limit is. */
export class JsonDepthError extends Error {
  constructor(
    readonly limit: number,
    where: string,
  ) {
    super(`it nests objects and arrays more than ${limit} levels deep (${where}); nx-phases reads JSON up to ${limit} levels.`);
    this.name = 'JsonDepthError';
  }
}

/**
 * Throws `JsonDepthError` when `text` opens more than `limit` objects or arrays inside each other (a linear scan
 * that skips strings, so it runs before any recursive parser or walk does).
 */
export function assertJsonTextDepth(text: string, limit = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92 /* \ */) i++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 123 /* { */ || code === 91 /* [ */) {
      if (++depth > limit) {
        const { line, column } = lineAndColumn(text, i);
        throw new JsonDepthError(limit, `line ${line}, column ${column}`);
      }
    } else if (code === 125 /* } */ || code === 93 /* ] */) depth--;
  }
}
