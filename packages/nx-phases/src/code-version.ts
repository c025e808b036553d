import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_VERSION } from './constants';

/**
 * The plugin's code version: its package version; when running from TypeScript sources (this repo), also
 * the newest modification time under src/, since the code (templates included) changes without a version bump.
 */
export const CODE_VERSION = __filename.endsWith('.ts') ? `${PLUGIN_VERSION}+${newestSourceTime(__dirname)}` : PLUGIN_VERSION;

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
