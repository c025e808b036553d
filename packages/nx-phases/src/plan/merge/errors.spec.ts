import { ContributionError, ForbiddenEditError, MergeConflictError, shownValue } from './errors';
import { JsonNumber } from './json-number';

describe('merge error messages, read whole', () => {
  it.each([
    ['json', 'new keys, new objects, new items in arrays of plain values'],
    ['lines', 'new lines'],
    [
      'regions',
      'new lines between a "nx-phases:region <name>" marker and its "nx-phases:end <name>"; the text outside the regions is the creating phase\'s',
    ],
  ] as const)('says what "only add" means for the %s strategy', (strategy, rule) => {
    const error = new ForbiddenEditError('a/file', strategy, [
      { entry: 'x', message: 'removed.' },
      { entry: 'y', message: 'changed.' },
    ]);
    expect(error.message).toBe(
      `a/file is merged (strategy "${strategy}"): a phase may only add entries to it, but this version\n` +
        '  - x: removed.\n' +
        '  - y: changed.\n' +
        `Fix: keep every entry the phase was given unchanged and only add new ones (${rule}); to change an entry, change the phase that added it.`,
    );
    expect(error.name).toBe('ForbiddenEditError');
    expect(error.file).toBe('a/file');
    expect(error.strategy).toBe(strategy);
  });

  it('names both phases of a conflict, the entry and the dependency that would settle it', () => {
    const error = new MergeConflictError('package.json', 'dependencies.zod', { by: { number: 4, name: 'Cart' }, value: '"^3"' }, { by: { number: 7, name: 'Search' }, value: '"^4"' });
    expect(error.message).toBe(
      'Merge conflict in package.json at dependencies.zod: Phase 4 (Cart) gives it "^3", Phase 7 (Search) gives it "^4".\n' +
        'Fix: change one of the two phases so that they agree — use another key (or entry) in one of them, or make phase 7 depend on phase 4 so that it sees "^3" and keeps it.',
    );
    expect(error.name).toBe('MergeConflictError');
  });

  it('says which phase to re-run for a contribution that cannot be merged, or all planners when none is known', () => {
    const named = new ContributionError('.env.example', { number: 2, name: 'Auth' }, 'it is broken.');
    expect(named.message).toBe('The contribution of Phase 2 (Auth) to .env.example cannot be merged: it is broken. Fix: re-run phase 2 with --skip-nx-cache.');
    expect(named.name).toBe('ContributionError');
    expect(new ContributionError('.env.example', undefined, 'no recorded contribution creates the file.').message).toBe(
      'A contribution to .env.example cannot be merged: no recorded contribution creates the file. Fix: re-run the phases that plan it with --skip-nx-cache.',
    );
  });

  it('shows values as JSON with number literals as written, cut after 57 characters when longer than 60', () => {
    expect(shownValue(undefined)).toBe('undefined');
    expect(shownValue({ a: [1, null], n: new JsonNumber('1.0') })).toBe('{"a":[1,null],"n":1.0}');
    const sixty = `"${'x'.repeat(58)}"`;
    expect(shownValue('x'.repeat(58))).toBe(sixty);
    expect(shownValue('x'.repeat(59))).toBe(`"${'x'.repeat(56)}...`);
  });
});
