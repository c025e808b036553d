import type { Tree } from '@nx/devkit';
import type { SnapshotFile } from './context';

/** Every file in the tree (the phase's snapshot), sorted by path; binary files (with a NUL byte) get `content: null`. */
export function readSnapshotFiles(tree: Tree): SnapshotFile[] {
  const files: SnapshotFile[] = [];
  const visit = (dir: string) => {
    for (const name of tree.children(dir)) {
      const path = dir ? `${dir}/${name}` : name;
      if (!tree.isFile(path)) {
        visit(path);
        continue;
      }
      const buffer = tree.read(path) as Buffer;
      files.push({ path, content: buffer.includes(0) ? null : buffer.toString('utf8') });
    }
  };
  visit('');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
