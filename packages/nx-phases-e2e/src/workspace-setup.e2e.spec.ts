import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadState } from './utils/e2e-state';

describe('nx g nx-phases:init in a fresh workspace', () => {
  const state = loadState();

  it('installs the packed plugin', () => {
    expect(existsSync(join(state.templateWorkspace, 'node_modules', 'nx-phases', 'package.json'))).toBe(true);
    expect(existsSync(join(state.templateWorkspace, 'node_modules', 'nx-phases', 'executors.json'))).toBe(true);
  });

  it('registers the plugin in nx.json', () => {
    const nxJson = JSON.parse(state.nxJsonAfterInit[0]) as { plugins?: Array<string | { plugin: string }> };
    const names = (nxJson.plugins ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.plugin));
    expect(names).toEqual(['nx-phases']);
  });

  it('is idempotent: a second init leaves nx.json byte-identical', () => {
    expect(state.nxJsonAfterInit[1]).toBe(state.nxJsonAfterInit[0]);
  });
});
