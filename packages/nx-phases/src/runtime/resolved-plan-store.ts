import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_VERSION } from '../code-version';
import type { PhasePlan } from '../plan/types';
import { writeFileAtomically } from './atomic-commit';
import { sha256 } from './hash';
import { workspaceDataPath } from './workspace-data';

/** What is stored: the validated, conflict-resolved plan and the phases' JSON paths. */
interface StoredPlan {
  plan: PhasePlan;
  jsonPaths: Array<[number, string]>;
}

/**
 * A plan validated and conflict-resolved once (by createNodes or the first phase process), keyed by the
 * plan file, its exact text and the plugin's code version. Every phase runs in its own process; without
 * this each one would re-validate and re-resolve the whole plan (~0.4 s at 5,000 phases).
 */
export function readResolvedPlan(workspaceRoot: string, planFile: string, text: string): StoredPlan | undefined {
  const path = storePath(workspaceRoot, planFile, text);
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StoredPlan) : undefined;
  } catch {
    return undefined;
  }
}

/** Stores a resolved plan and drops the entries of earlier versions of the same plan file. */
export function storeResolvedPlan(workspaceRoot: string, planFile: string, text: string, stored: StoredPlan): void {
  const path = storePath(workspaceRoot, planFile, text);
  if (existsSync(path)) return;
  try {
    const dir = workspaceDataPath(workspaceRoot, 'resolved-plans');
    const prefix = `${fileKey(planFile)}-`;
    if (existsSync(dir)) for (const name of readdirSync(dir)) if (name.startsWith(prefix)) rmSync(join(dir, name), { force: true });
    writeFileAtomically(path, JSON.stringify(stored));
  } catch {
    // A store that cannot be written only costs a re-parse in the next phase process.
  }
}

function storePath(workspaceRoot: string, planFile: string, text: string): string {
  return workspaceDataPath(workspaceRoot, 'resolved-plans', `${fileKey(planFile)}-${sha256(`${CODE_VERSION}\n${text}`).slice(0, 24)}.json`);
}

function fileKey(planFile: string): string {
  return sha256(planFile).slice(0, 12);
}
