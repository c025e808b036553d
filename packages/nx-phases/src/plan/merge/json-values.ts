import { ROOT_PATH } from '../errors';
import { childPath } from '../json-path';
import { JsonNumber } from './json-number';
import { writeJson } from './json-text';
import type { JsonScalar, JsonValue } from './types';

/** A JSON object as merged: no prototype, so keys such as `__proto__` are plain keys. */
export type JsonObject = { [key: string]: JsonValue };

/** True for a JSON object (not an array, a number or null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

/** True for a string, a number literal, a boolean or null. */
export function isJsonScalar(value: unknown): value is JsonScalar {
  return value === null || value instanceof JsonNumber || typeof value === 'string' || typeof value === 'boolean';
}

/** The identity of a scalar in a set: its JSON text (the number 1 and the string "1" differ; 1 and 1.0 too). */
export function scalarKey(value: JsonScalar): string {
  return writeJson(value);
}

/** True for an array of scalars (also the empty array): merged as a set. */
export function isScalarArray(value: unknown): value is JsonScalar[] {
  return Array.isArray(value) && value.every(isJsonScalar);
}

/** True when `object` has `key` as an own property (works for objects without a prototype). */
export function hasKey(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Deep equality of JSON values (numbers by literal); object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof JsonNumber || b instanceof JsonNumber) return a instanceof JsonNumber && b instanceof JsonNumber && a.literal === b.literal;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => hasKey(b, key) && jsonEqual(a[key], b[key]));
}

/** The scalars of a list without repeats (1 and "1" differ), in first-seen order. */
export function uniqueScalars(values: readonly JsonScalar[]): JsonScalar[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = scalarKey(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A deep copy whose objects have no prototype. */
export function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (!isJsonObject(value)) return value;
  const copy = emptyJsonObject();
  for (const key of Object.keys(value)) copy[key] = cloneJson(value[key]);
  return copy;
}

/** A new object without a prototype. */
export function emptyJsonObject(): JsonObject {
  return Object.create(null) as JsonObject;
}

/** A key path as a JSON path for messages: `["dependencies", "@types/react"]` → `dependencies["@types/react"]`. */
export function keyPathText(path: readonly string[]): string {
  return path.reduce<string>((parent, key) => childPath(parent, key), ROOT_PATH);
}
