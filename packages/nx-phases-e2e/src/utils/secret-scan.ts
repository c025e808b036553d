import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a scan for a secret looked at, and where it found it. */
export interface SecretScan {
  /** Absolute paths of the files read (symlinks are not followed, so the workspace's node_modules link is skipped). */
  files: string[];
  /** Absolute paths of files containing any of the needles. */
  hits: string[];
}

/** Reads every regular file below each root and reports those containing any of `needles` (e.g. a key and its random part). */
export function scanForSecret(roots: string[], needles: string[]): SecretScan {
  const bytes = needles.map((needle) => Buffer.from(needle));
  const scan: SecretScan = { files: [], hits: [] };
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (stat.isFile()) {
      scan.files.push(path);
      const content = readFileSync(path);
      if (bytes.some((needle) => content.includes(needle))) scan.hits.push(path);
    }
  };
  for (const root of roots) if (existsSync(root)) visit(root);
  return scan;
}

/** A distinctive fake API key, unique per call, plus its random part (to catch a truncated or re-prefixed copy). */
export function plantedApiKey(): { key: string; randomPart: string } {
  const randomPart = `${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
  return { key: `sk-nxphases-PLANTED-${randomPart}`, randomPart };
}
