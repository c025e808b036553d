import type { Tree } from '@nx/devkit';
import { posix } from 'node:path';
import type { MergeStrategy, Phase } from '../../plan/types';
import { sortStrings } from './names';

/**
 * What a template may know: the phase being generated and the files of the snapshot
 * (context + dependency outputs) together with the files this phase is about to write.
 */
export interface ScaffoldContext {
  planName: string;
  phase: Phase;
  /** The merge strategy of a file this phase plans, when the plan declares it mergeable (the phase may only add to it). */
  mergeStrategy(path: string): MergeStrategy | undefined;
  /** True when the file is in the snapshot or planned by this phase. */
  has(path: string): boolean;
  /** True when this phase writes the file (so it will have the scaffold's shape). */
  isPlanned(path: string): boolean;
  /** The snapshot's current text of a file, if it exists. */
  read(path: string): string | undefined;
  /** True when the file will export `name` (planned by this phase, or an existing file declaring it). */
  exports(path: string, name: string): boolean;
  /** True when the file will export a component `name` that takes no props. */
  exportsComponent(path: string, name: string): boolean;
  /** Sorted paths directly inside `dir` whose names end with `suffix`, existing or planned. */
  list(dir: string, suffix: string): string[];
}

/** Builds the template context from the tree (the snapshot) before anything is written. */
export function createScaffoldContext(tree: Tree, planName: string, phase: Phase, merge: Record<string, MergeStrategy> = {}): ScaffoldContext {
  const planned = new Set(phase.plannedFiles);
  const read = (path: string) => (tree.isFile(path) ? tree.read(path, 'utf-8') ?? undefined : undefined);
  const declares = (path: string, pattern: string) => {
    if (planned.has(path)) return true;
    const text = read(path);
    return text !== undefined && new RegExp(pattern).test(text);
  };
  return {
    planName,
    phase,
    mergeStrategy: (path) => (Object.prototype.hasOwnProperty.call(merge, path) ? merge[path] : undefined),
    has: (path) => planned.has(path) || tree.isFile(path),
    isPlanned: (path) => planned.has(path),
    read,
    exports: (path, name) =>
      declares(path, `\\bexport\\s+(?:async\\s+)?(?:function|const|let|class|interface|type)\\s+${name}\\b`),
    exportsComponent: (path, name) =>
      declares(path, `\\bexport\\s+(?:function\\s+${name}\\s*\\(\\s*\\)|const\\s+${name}\\s*=\\s*\\(\\s*\\)\\s*=>)`),
    list: (dir, suffix) => {
      const existing = tree.exists(dir) ? tree.children(dir).map((name) => posix.join(dir, name)) : [];
      const candidates = [...existing, ...planned].filter(
        (path) => posix.dirname(path) === dir && path.endsWith(suffix) && (planned.has(path) || tree.isFile(path)),
      );
      return sortStrings(new Set(candidates));
    },
  };
}

/** `phase 3 "Auth"`, for comments and messages. */
export function phaseLabel(phase: Phase): string {
  return `phase ${phase.number} "${phase.name}"`;
}
