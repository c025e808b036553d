import { parseTree, type Node } from 'jsonc-parser';
import { assertJsonTextDepth, MAX_JSON_DEPTH } from '../json-depth';
import { lineAndColumn } from '../json-syntax';
import { JsonNumber } from './json-number';
import type { JsonValue } from './types';

/** jsonc-parser in strict JSON mode. */
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/**
 * Parses strict JSON without losing a digit: numbers become `JsonNumber`s holding their literal, objects have no
 * prototype (`__proto__` is a plain key), and a key repeated in one object is a SyntaxError (JSON.parse would drop a value). Throws
 * `JsonDepthError` beyond `depthLimit` levels before any recursive step, and JSON.parse's SyntaxError for bad JSON.
 */
export function parseJsonLossless(text: string, depthLimit = MAX_JSON_DEPTH): JsonValue {
  const source = text.replace(/^\uFEFF/, '');
  assertJsonTextDepth(source, depthLimit);
  JSON.parse(source);
  const tree = parseTree(source, [], STRICT);
  if (!tree) throw new SyntaxError('Unexpected end of JSON input');
  return fromNode(tree, source);
}

function fromNode(node: Node, source: string): JsonValue {
  switch (node.type) {
    case 'object': {
      const object = Object.create(null) as { [key: string]: JsonValue };
      for (const property of node.children ?? []) {
        const [key, value] = property.children!;
        if (Object.prototype.hasOwnProperty.call(object, key.value)) {
          const { line, column } = lineAndColumn(source, key.offset);
          throw new SyntaxError(`the key ${JSON.stringify(key.value)} appears twice in one object (line ${line}, column ${column}), so one of its values would be lost`);
        }
        object[key.value as string] = fromNode(value, source);
      }
      return object;
    }
    case 'array':
      return (node.children ?? []).map((child) => fromNode(child, source));
    case 'number':
      return new JsonNumber(source.slice(node.offset, node.offset + node.length));
    default:
      return node.value as JsonValue;
  }
}

/**
 * JSON text of a value with number literals written as read. With `indent` (e.g. two spaces) the layout is
 * JSON.stringify's; without it, compact. Keys keep their order; properties whose value is undefined are skipped.
 */
export function writeJson(value: unknown, indent = ''): string {
  return write(value, indent, '');
}

/** Compact JSON with object keys sorted at every level, number literals as read: the text contribution hashes cover. */
export function stableJson(value: unknown): string {
  return write(value, '', '', true);
}

function write(value: unknown, indent: string, current: string, sorted = false): string {
  if (value instanceof JsonNumber) return value.literal;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = current + indent;
  const open = indent ? `\n${inner}` : '';
  const close = indent ? `\n${current}` : '';
  const separator = indent ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => (item === undefined ? 'null' : write(item, indent, inner, sorted))).join(separator)}${close}]`;
  }
  const record = value as Record<string, unknown>;
  let keys = Object.keys(record).filter((key) => record[key] !== undefined);
  if (sorted) keys = keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return '{}';
  const colon = indent ? ': ' : ':';
  return `{${open}${keys.map((key) => `${JSON.stringify(key)}${colon}${write(record[key], indent, inner, sorted)}`).join(separator)}${close}}`;
}
