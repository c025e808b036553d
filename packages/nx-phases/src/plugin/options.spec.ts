import { normalizePluginOptions } from './options';

describe('plugin options in nx.json', () => {
  it('applies the defaults when no options are given', () => {
    expect(normalizePluginOptions(undefined)).toEqual({ targetName: 'phase', projectName: '{plan}-{number}-{name}' });
  });

  it('keeps the options a user gives', () => {
    expect(normalizePluginOptions({ targetName: 'generate', projectName: '{plan}-p{number}' })).toEqual({ targetName: 'generate', projectName: '{plan}-p{number}' });
  });

  it('rejects a mistyped option with a did-you-mean instead of ignoring it', () => {
    expect(() => normalizePluginOptions({ targtName: 'generate' } as never)).toThrow(
      'nx.json: plugins[nx-phases].options.targtName: Unknown option "targtName" for the nx-phases plugin. Fix: Did you mean "targetName"? Allowed options: targetName, projectName, maxCostUsd, prices, store, storeFallback.',
    );
  });

  it('rejects an unknown option with nothing close, listing the allowed ones', () => {
    expect(() => normalizePluginOptions({ parallel: '3' } as never)).toThrow(
      'nx.json: plugins[nx-phases].options.parallel: Unknown option "parallel" for the nx-phases plugin. Fix: Allowed options: targetName, projectName, maxCostUsd, prices, store, storeFallback.',
    );
  });

  it('rejects values that are not non-empty strings', () => {
    expect(() => normalizePluginOptions({ targetName: 3 } as never)).toThrow('nx.json: plugins[nx-phases].options.targetName: must be a non-empty string, got 3.');
    expect(() => normalizePluginOptions({ targetName: ' ' })).toThrow('options.targetName: must be a non-empty string, got " ".');
    expect(() => normalizePluginOptions('phase' as never)).toThrow('nx.json: plugins[nx-phases].options must be an object.');
  });

  it('accepts price overrides and rejects bad ones with the JSON path, a did-you-mean and the fix', () => {
    const prices = { 'my-model': { inputPerToken: 1e-6, outputPerToken: 2e-6 } };
    expect(normalizePluginOptions({ prices })).toEqual({ targetName: 'phase', projectName: '{plan}-{number}-{name}' });
    const bad = () => normalizePluginOptions({ prices: { 'my-model': { inputPerToken: 1e-6, outputPrice: 2e-6 } } } as never);
    expect(bad).toThrow('plugins[nx-phases].options.prices["my-model"].outputPrice is not a price field');
    expect(bad).toThrow('plugins[nx-phases].options.prices["my-model"].outputPerToken is missing');
    expect(bad).toThrow(/Fix: write plugins\[nx-phases\]\.options\.prices as/);
  });

  it('rejects a project-name template without {number}, which would give two phases one name', () => {
    expect(() => normalizePluginOptions({ projectName: '{plan}-{name}' })).toThrow('options.projectName: "{plan}-{name}" has no {number}');
  });

  it('takes maxCostUsd as a number of dollars, 0 or more, and refuses anything else', () => {
    expect(normalizePluginOptions({ maxCostUsd: 2.5 })).toMatchObject({ maxCostUsd: 2.5 });
    for (const bad of ['5', -1, Infinity, null]) {
      expect(() => normalizePluginOptions({ maxCostUsd: bad } as never)).toThrow(
        `nx.json: plugins[nx-phases].options.maxCostUsd: must be a number of US dollars, 0 or more, got ${JSON.stringify(bad)}.`,
      );
    }
  });

  it('keeps a store option and rejects a store or fallback nx-phases does not know, with a did-you-mean', () => {
    expect(normalizePluginOptions({ store: 'redis://127.0.0.1:6379', storeFallback: 'file' })).toMatchObject({ store: 'redis://127.0.0.1:6379', storeFallback: 'file' });
    expect(() => normalizePluginOptions({ store: 'redis:/127.0.0.1' })).toThrow('options.store: "redis:/127.0.0.1" is not a store nx-phases knows. Fix: Did you mean "redis://…"?');
    expect(() => normalizePluginOptions({ storeFallback: 'local' })).toThrow('options.storeFallback: "local" is not a fallback nx-phases knows.');
    expect(() => normalizePluginOptions({ stor: 'file' } as never)).toThrow('Did you mean "store"?');
  });
});
