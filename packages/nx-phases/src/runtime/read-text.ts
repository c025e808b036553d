import { readFileSync } from 'node:fs';

/** A file's UTF-8 text, or undefined when it cannot be read (missing, a folder, no permission). */
export function readTextIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
