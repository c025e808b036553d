import { posix } from 'node:path';
import { ROOT_PATH, type PlanProblem } from './errors';

/**
 * Plans cannot nest: for every plan file whose app root lies inside another plan's app root, or contains one, the
 * problems naming both plan files (each such plan gets one problem per other plan). Plans that do not nest are absent.
 */
export function findNestedPlans(planFiles: readonly string[]): Map<string, PlanProblem[]> {
  const roots = [...new Set(planFiles.map(toPosix))].map((file) => ({ file, root: posix.dirname(file) }));
  const found = new Map<string, PlanProblem[]>();
  const add = (file: string, problem: Omit<PlanProblem, 'file'>) => found.set(file, [...(found.get(file) ?? []), { file, ...problem }]);
  for (const inner of roots) {
    for (const outer of roots) {
      if (inner === outer || !isInside(inner.root, outer.root)) continue;
      const hint = `Move ${inner.file} out of ${describeRoot(outer.root)}, or make its phases part of ${outer.file}; a plan's app root may neither contain nor lie inside another plan's.`;
      add(inner.file, {
        path: ROOT_PATH,
        message: `This plan's app root ${describeRoot(inner.root)} lies inside ${describeRoot(outer.root)}, the app root of ${outer.file}: plans cannot nest (the outer plan's phases could write the inner plan's files and records).`,
        hint,
      });
      add(outer.file, {
        path: ROOT_PATH,
        message: `This plan's app root ${describeRoot(outer.root)} contains ${describeRoot(inner.root)}, the app root of ${inner.file}: plans cannot nest (this plan's phases could write the inner plan's files and records).`,
        hint,
      });
    }
  }
  return found;
}

/** True when `root` is a folder strictly inside `container` (`.` contains every other folder). */
function isInside(root: string, container: string): boolean {
  if (root === container) return false;
  return container === '.' || root.startsWith(`${container}/`);
}

function describeRoot(root: string): string {
  return root === '.' ? 'the workspace root' : root;
}

function toPosix(file: string): string {
  return file.replace(/\\/g, '/');
}
