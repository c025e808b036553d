import { readJson, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator, VERIFY_DEV_DEPENDENCIES } from './generator';
import { IGNORED_PATHS } from './gitignore';

describe('nx g nx-phases:init', () => {
  let tree: Tree;
  beforeEach(() => (tree = createTreeWithEmptyWorkspace()));

  it('registers the plugin once, however often it runs', async () => {
    await initGenerator(tree);
    await initGenerator(tree);
    expect(readNxJson(tree)?.plugins?.filter((p) => p === 'nx-phases')).toHaveLength(1);
  });

  it('keeps a custom target name in the plugin options', async () => {
    await initGenerator(tree, { targetName: 'generate' });
    expect(readNxJson(tree)?.plugins).toContainEqual({ plugin: 'nx-phases', options: { targetName: 'generate' } });
  });

  it('adds what verify needs as dev dependencies, keeping versions already there', async () => {
    tree.write('package.json', JSON.stringify({ name: 'ws', devDependencies: { typescript: '5.4.0' } }));
    const install = await initGenerator(tree);
    const pkg = readJson(tree, 'package.json');
    expect(pkg.devDependencies).toEqual({ ...VERIFY_DEV_DEPENDENCIES, typescript: '5.4.0' });
    expect(typeof install).toBe('function');
  });

  it('leaves package.json alone with --skipPackageJson', async () => {
    const before = tree.read('package.json', 'utf8');
    await initGenerator(tree, { skipPackageJson: true });
    expect(tree.read('package.json', 'utf8')).toBe(before);
  });

  describe('.gitignore', () => {
    const gitignore = () => tree.read('.gitignore', 'utf8');
    const header = '# nx-phases: local run reports, locks and caches (see "What to commit" in the nx-phases README)';

    it('creates it, when it is missing, with node_modules first (or a first commit would hold the dependencies) and the plugin\'s local paths', async () => {
      tree.delete('.gitignore');
      await initGenerator(tree, { skipPackageJson: true });
      expect(gitignore()).toBe(`node_modules\n\n${header}\n.nx/nx-phases\n.nx/workspace-data\n.nx/cache\n`);
      await initGenerator(tree, { skipPackageJson: true });
      expect(gitignore()).toBe(`node_modules\n\n${header}\n.nx/nx-phases\n.nx/workspace-data\n.nx/cache\n`);
    });

    it('leaves an existing file\'s choice about node_modules alone', async () => {
      tree.write('.gitignore', 'dist\n');
      await initGenerator(tree, { skipPackageJson: true });
      expect(gitignore()).toBe(`dist\n\n${header}\n.nx/nx-phases\n.nx/workspace-data\n.nx/cache\n`);
    });

    it('appends only the paths not ignored yet, keeps what was there, and changes nothing when run again', async () => {
      tree.write('.gitignore', 'node_modules\n/.nx/cache/\n# .nx/nx-phases is only a comment\n!.nx/workspace-data\ndist');
      await initGenerator(tree, { skipPackageJson: true });
      const once = gitignore();
      expect(once).toBe(`node_modules\n/.nx/cache/\n# .nx/nx-phases is only a comment\n!.nx/workspace-data\ndist\n\n${header}\n.nx/nx-phases\n.nx/workspace-data\n`);
      await initGenerator(tree, { skipPackageJson: true });
      expect(gitignore()).toBe(once);
    });

    it('adds nothing when a parent folder is ignored already', async () => {
      tree.write('.gitignore', 'node_modules\n.nx\n');
      await initGenerator(tree, { skipPackageJson: true });
      expect(gitignore()).toBe('node_modules\n.nx\n');
    });

    it('leaves the generated app and its .phases records to the user (README: What to commit)', async () => {
      await initGenerator(tree, { skipPackageJson: true });
      expect(IGNORED_PATHS.filter((path) => path.includes('.phases'))).toEqual([]);
      expect(gitignore()).not.toContain('.phases');
    });
  });
});
