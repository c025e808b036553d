import { ROOT_PATH } from './errors';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a key or array index to a JSON path (`phases[3]` + `name` → `phases[3].name`). */
export function childPath(parent: string, key: string | number): string {
  const base = parent === ROOT_PATH ? '' : parent;
  if (typeof key === 'number') return `${base}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** Converts a JSON pointer (`/phases/3/dependencies/0`) to a JSON path (`phases[3].dependencies[0]`). */
export function pointerToPath(pointer: string): string {
  let path = ROOT_PATH;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = childPath(path, /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key);
  }
  return path;
}

/** Orders JSON paths naturally (`phases[2]` before `phases[10]`), grouping each phase's problems together. */
export function compareJsonPaths(a: string, b: string): number {
  const left = a.split(/(\d+)/);
  const right = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] === right[i]) continue;
    // split() with a capture group puts digit runs at odd indexes.
    if (i % 2 === 1) return Number(left[i]) - Number(right[i]);
    return left[i] < right[i] ? -1 : 1;
  }
  return left.length - right.length;
}
