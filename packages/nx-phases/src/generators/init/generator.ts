import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import type { InitGeneratorOptions } from './schema';

const PLUGIN = 'nx-phases';

/** Registers the nx-phases plugin in nx.json, once; this is what `nx add nx-phases` runs. */
export async function initGenerator(tree: Tree, options: InitGeneratorOptions = {}): Promise<void> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN);
  if (registered) return;
  const targetName = options.targetName ?? 'phase';
  nxJson.plugins = [...plugins, targetName === 'phase' ? PLUGIN : { plugin: PLUGIN, options: { targetName } }];
  updateNxJson(tree, nxJson);
}

export default initGenerator;
