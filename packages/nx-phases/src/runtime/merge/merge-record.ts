import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseJsonLossless } from '../../plan';
import type { PhasePlan } from '../../plan/types';
import { RECORDS_DIR } from '../../constants';
import { writeFileAtomically } from '../atomic-commit';
import { assertRealFilePath } from '../real-path-check';

/** App-root-relative path of the merge record: what the merge step last wrote into each merged file. */
export const MERGE_RECORD_PATH = posix.join(RECORDS_DIR, 'merged.json');

/** Merged file → the sha256 of every text the merge step may have left in it (one, or two while it writes). */
export type MergeRecord = Map<string, string[]>;

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Reads the merge record of an app. It is untrusted (a commit, a person or a tool may have written it): anything
 * but `{ "version": 1, "files": { <mergeable file>: [<sha256>, …] } }` reads as no record, which only makes the
 * merge step more careful (a merged file it cannot vouch for is treated as edited by hand). Read through real
 * folders only.
 */
export function readMergeRecord(appRootAbs: string, plan: PhasePlan): { record: MergeRecord; problem?: string } {
  assertRealFilePath(appRootAbs, MERGE_RECORD_PATH, `Fix: make ${MERGE_RECORD_PATH} a real file inside the app root, or delete it.`);
  const path = join(appRootAbs, MERGE_RECORD_PATH);
  if (!existsSync(path)) return { record: new Map(), problem: `${MERGE_RECORD_PATH} is missing` };
  let data: unknown;
  try {
    data = parseJsonLossless(readFileSync(path, 'utf8'), 8);
  } catch (error) {
    return { record: new Map(), problem: `${MERGE_RECORD_PATH} cannot be read (${(error as Error).message.replace(/\.$/, '')})` };
  }
  const record: MergeRecord = new Map();
  const files = isObject(data) && data.version !== undefined && String(data.version) === '1' && isObject(data.files) ? data.files : undefined;
  if (!files) return { record, problem: `${MERGE_RECORD_PATH} is not a merge record` };
  for (const [file, hashes] of Object.entries(files)) {
    if (!Object.prototype.hasOwnProperty.call(plan.merge ?? {}, file)) continue;
    if (Array.isArray(hashes) && hashes.length <= 2 && hashes.every((hash) => typeof hash === 'string' && SHA256.test(hash))) record.set(file, hashes as string[]);
  }
  return { record };
}

/** Writes the merge record (files sorted) atomically, creating `.phases` when needed. */
export function writeMergeRecord(appRootAbs: string, record: MergeRecord): void {
  const path = join(appRootAbs, MERGE_RECORD_PATH);
  const files = Object.fromEntries([...record].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileAtomically(path, `${JSON.stringify({ version: 1, files }, null, 2)}\n`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
