import { readJson, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator, VERIFY_DEV_DEPENDENCIES } from './generator';

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
});
