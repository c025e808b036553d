import { readJsonFile } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelPrice, parsePriceOverrides } from '../../cost';

/** The plugin's name in nx.json's `plugins`. */
const PLUGIN_NAME = 'nx-phases';

/**
 * The `prices` option of the nx-phases entry in `<workspaceRoot>/nx.json` (checked: closed fields, did-you-mean, the
 * JSON path in the message), or undefined when nx.json, the entry or the option is absent.
 */
export function readWorkspacePriceOverrides(workspaceRoot: string): Record<string, ModelPrice> | undefined {
  const file = join(workspaceRoot, 'nx.json');
  if (!existsSync(file)) return undefined;
  const nxJson = readJsonFile<{ plugins?: unknown }>(file);
  if (!Array.isArray(nxJson.plugins)) return undefined;
  const index = nxJson.plugins.findIndex((entry) => isRecord(entry) && entry.plugin === PLUGIN_NAME);
  if (index < 0) return undefined;
  const options = (nxJson.plugins[index] as Record<string, unknown>).options;
  if (!isRecord(options)) return undefined;
  return parsePriceOverrides(options.prices, { file: 'nx.json', jsonPath: `plugins[${index}].options.prices` });
}

/** Price overrides in force for a generator: nx.json's, then the plan's generator options' (a plan's price for a model wins). */
export function mergePriceOverrides(
  workspace: Record<string, ModelPrice> | undefined,
  plan: Record<string, ModelPrice> | undefined,
): Record<string, ModelPrice> | undefined {
  if (!workspace && !plan) return undefined;
  return Object.assign(Object.create(null) as Record<string, ModelPrice>, workspace, plan);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
