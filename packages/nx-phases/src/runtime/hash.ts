import { createHash } from 'node:crypto';
import { JsonDepthError, MAX_JSON_DEPTH } from '../plan/json-depth';

/** Hex sha256 of a string or buffer. */
export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Stable JSON: object keys sorted at every level, so equal values hash equally. Plan data is depth-checked when it
 * is parsed, but this walk is reachable with other values too (nx.json options, records), so it enforces the same
 * limit itself: a value nesting objects and arrays more than MAX_JSON_DEPTH (256) levels deep throws JsonDepthError
 * instead of overflowing the stack (a cyclic value ends the same way).
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0));
}

function sortKeys(value: unknown, depth: number): unknown {
  if (!value || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) throw new JsonDepthError(MAX_JSON_DEPTH, 'in a value nx-phases was hashing');
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v, depth + 1)]));
}

/** Hex sha256 of a value's stable JSON. */
export function hashValue(value: unknown): string {
  return sha256(stableStringify(value));
}
