/**
 * The only module that imports Nx internals: `FsTree` and `flushChanges` are not part of
 * the public `@nx/devkit` API, so every other file imports them from here.
 */
export { FsTree, flushChanges } from 'nx/src/generators/tree';
