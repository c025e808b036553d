import { addDependenciesToPackageJson, readNxJson, updateNxJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import { ignoreGeneratedPaths } from './gitignore';
import type { InitGeneratorOptions } from './schema';

const PLUGIN = 'nx-phases';

/** What the `verify` target needs to type-check the scaffold generator's output. */
export const VERIFY_DEV_DEPENDENCIES: Record<string, string> = {
  typescript: '~5.9.3',
  react: '^19.0.0',
  '@types/react': '^19.0.0',
};

/**
 * Registers the nx-phases plugin in nx.json once, adds the plugin's local paths to `.gitignore`, and adds the dev
 * dependencies `verify` needs (existing versions are kept); this is what `nx add nx-phases` runs. Idempotent.
 */
export async function initGenerator(tree: Tree, options: InitGeneratorOptions = {}): Promise<GeneratorCallback | void> {
  registerPlugin(tree, options.targetName ?? 'phase');
  ignoreGeneratedPaths(tree);
  if (options.skipPackageJson) return;
  return addDependenciesToPackageJson(tree, {}, VERIFY_DEV_DEPENDENCIES, undefined, true);
}

function registerPlugin(tree: Tree, targetName: string): void {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN);
  if (registered) return;
  nxJson.plugins = [...plugins, targetName === 'phase' ? PLUGIN : { plugin: PLUGIN, options: { targetName } }];
  updateNxJson(tree, nxJson);
}

export default initGenerator;
