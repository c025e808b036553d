import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MergeStrategy, Phase } from '../../plan/types';
import { walkFiles } from '../../runtime/file-walk';
import type { DependencyOutput } from '../../runtime/phase-generator';

/** What the command receives on stdin and in $NX_PHASES_CONTEXT_FILE. */
export interface CommandContext {
  /** `merge`: the strategies of the phase's planned files that are mergeable (it may only add to them); absent when none. */
  plan: { name: string; merge?: Record<string, MergeStrategy> };
  phase: Phase;
  dependencies: DependencyOutput[];
  /** Sorted app-root-relative POSIX paths of the files in the snapshot when the command starts. */
  files: string[];
  /** Present when this run repairs a failed check: the diagnostics and the files they point at. */
  repair?: import('../../runtime/phase-generator').PhaseRepair;
}

/** Sorted POSIX paths of the regular files below `root` (symlinks are neither listed nor followed). */
export function listFiles(root: string): string[] {
  return [...walkFiles(root).values()].filter((file) => file.kind === 'file').map((file) => file.path);
}

/** Writes the context JSON into `folder` (a private temp folder outside the snapshot, so it never becomes a phase output) and returns its path. */
export function writeContextFile(folder: string, json: string): string {
  const path = join(folder, 'context.json');
  writeFileSync(path, json);
  return path;
}
