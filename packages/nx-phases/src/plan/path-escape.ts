/** How a path could leave the folder it is joined to. */
export type PathEscape = 'absolute' | 'parent-segment';

/** Matches a path that starts at a root: `/`, `\` or a drive letter (`C:`), on any platform. */
const ROOTED = /^(?:[\\/]|[A-Za-z]:)/;

/**
 * Whether `path`, joined to a folder, could lead outside it: `absolute` when it starts at a root (`/`, `\`, a drive
 * letter), `parent-segment` when a segment is `..` (either slash separates); undefined when it stays inside. Pure
 * (no file system): the plan's path check and the commit's defence in depth both use it.
 */
export function pathEscape(path: string): PathEscape | undefined {
  if (ROOTED.test(path)) return 'absolute';
  return path.split(/[\\/]/).includes('..') ? 'parent-segment' : undefined;
}
