import { ContributionError, MergeConflictError } from './errors';
import { parseRegions, renderRegions, RegionSyntaxError } from './regions-format';
import { extractRegionsContribution, mergeRegionsContributions } from './regions-strategy';
import { forbiddenEdit, permutations, recorded } from './test-utils/merge-cases';
import type { RegionsContribution } from './types';

const created = [
  "import type { ReactNode } from 'react';",
  '// nx-phases:region imports',
  "import { HomePage } from './pages/home';",
  '// nx-phases:end imports',
  '',
  'export const routes = [',
  '  // nx-phases:region routes',
  "  { path: '/', render: () => <HomePage /> },",
  '  // nx-phases:end routes',
  '];',
  '',
].join('\n');

/** The created file with lines added to the end of its two regions. */
function withAdded(imports: string[], routes: string[], text = created): string {
  return text
    .replace('// nx-phases:end imports', [...imports, '// nx-phases:end imports'].join('\n'))
    .replace('  // nx-phases:end routes', [...routes, '  // nx-phases:end routes'].join('\n'));
}

const cartImport = "import { CartPage } from './pages/cart';";
const cartRoute = "  { path: '/cart', render: () => <CartPage /> },";

describe('parseRegions', () => {
  it('splits text and regions and renders them back', () => {
    const document = parseRegions(created);
    expect(document.blocks.map((block) => (block.kind === 'region' ? `region ${block.name}: ${block.lines.length}` : `text: ${block.lines.length}`))).toEqual([
      'text: 1',
      'region imports: 1',
      'text: 2',
      'region routes: 1',
      'text: 1',
    ]);
    expect(renderRegions(document)).toBe(created);
  });

  it('accepts #, --, block, JSX and HTML comment markers', () => {
    for (const [open, close] of [
      ['# nx-phases:region a', '# nx-phases:end a'],
      ['-- nx-phases:region a', '-- nx-phases:end a'],
      ['/* nx-phases:region a */', '/* nx-phases:end a */'],
      ['      {/* nx-phases:region a */}', '      {/* nx-phases:end a */}'],
      ['<!-- nx-phases:region a -->', '<!-- nx-phases:end a -->'],
    ]) {
      const document = parseRegions(`${open}\nx\n${close}\n`);
      expect(document.blocks).toEqual([{ kind: 'region', name: 'a', open, close, lines: ['x'] }]);
    }
  });

  it.each([
    ['// nx-phases:region a\n// nx-phases:region b\n', 'line 2: region "b" starts inside region "a" (line 1); regions cannot nest.'],
    ['// nx-phases:end a\n', 'line 1: "nx-phases:end a" has no "nx-phases:region a" before it.'],
    ['// nx-phases:region a\n// nx-phases:end b\n', 'line 2: "nx-phases:end b" closes region "a" (line 1); use "nx-phases:end a".'],
    ['x\n// nx-phases:region a\n', 'line 2: region "a" is never closed; add "nx-phases:end a" after its lines.'],
    ['// nx-phases:region a\n// nx-phases:end a\n// nx-phases:region a\n// nx-phases:end a\n', 'line 3: there is a second region named "a"; region names must be unique in a file.'],
    ['const x = 1; // nx-phases:region a\n', 'line 1: "const x = 1; // nx-phases:region a" is not a valid marker; write "// nx-phases:region <name>" or "// nx-phases:end <name>" on a line of its own.'],
  ])('rejects unpaired markers: %j', (text, message) => {
    expect(() => parseRegions(text)).toThrow(RegionSyntaxError);
    expect(() => parseRegions(text)).toThrow(message);
  });
});

describe('extractRegionsContribution', () => {
  it('records the skeleton and the region lines of the creating phase', () => {
    const contribution = extractRegionsContribution('src/routes.tsx', undefined, created);
    expect(contribution.skeleton).toBe(created.replace("import { HomePage } from './pages/home';\n", '').replace("  { path: '/', render: () => <HomePage /> },\n", ''));
    expect(contribution.regions).toEqual([
      { name: 'imports', lines: ["import { HomePage } from './pages/home';"] },
      { name: 'routes', lines: ["  { path: '/', render: () => <HomePage /> },"] },
    ]);
  });

  it('records only the lines a contributing phase added, per region', () => {
    const version = withAdded([cartImport], ['', cartRoute]).replace("  { path: '/', render", "\n  { path: '/', render");
    expect(extractRegionsContribution('src/routes.tsx', created, version)).toEqual({
      strategy: 'regions',
      regions: [
        { name: 'imports', lines: [cartImport] },
        { name: 'routes', lines: [cartRoute] },
      ],
    });
  });

  it('rejects an edit outside the regions, naming the file and the changed text', () => {
    const error = forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', created, withAdded([cartImport], []).replace('export const routes', 'export let routes')));
    expect(error.edits).toEqual([
      {
        entry: 'text outside the regions',
        message:
          'changed: after "" it should read "export const routes = [", but reads "export let routes = [" (markers count as outside text: regions cannot be added, removed or renamed by a contributing phase).',
      },
    ]);
    expect(error.message).toContain('src/routes.tsx is merged (strategy "regions")');
  });

  it('rejects a removed region line and a second value for a key of the region', () => {
    const version = withAdded(["import { HomePage } from './pages/landing';"], []).replace("import { HomePage } from './pages/home';\n", '');
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', created, version)).edits).toEqual([
      { entry: 'region "imports", line "import { HomePage } from \'./pages/home\';"', message: 'removed (or changed).' },
      {
        entry: 'region "imports", line "import { HomePage } from \'./pages/landing\';"',
        message: 'gives "import HomePage" a second value (the region has "import { HomePage } from \'./pages/home\';").',
      },
    ]);
    const twoRoots = withAdded([], ["  { path: '/', render: () => <CartPage /> },"]);
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', created, twoRoots)).edits[0].message).toContain(`gives "path: '/'" a second value`);
  });

  it('rejects a creating phase that gives a key of a region two values', () => {
    const twoHomes = withAdded(["import { HomePage } from './pages/house';"], []);
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', undefined, twoHomes)).edits).toEqual([
      {
        entry: 'region "imports", line "import { HomePage } from \'./pages/house\';"',
        message: 'gives "import HomePage" a second value (the region has "import { HomePage } from \'./pages/home\';").',
      },
    ]);
  });

  it('records only the regions a phase wrote lines in, for the creating phase and for a contributing one', () => {
    const noRoutes = created.replace("  { path: '/', render: () => <HomePage /> },\n", '');
    expect(extractRegionsContribution('src/routes.tsx', undefined, noRoutes).regions).toEqual([{ name: 'imports', lines: ["import { HomePage } from './pages/home';"] }]);
    expect(extractRegionsContribution('src/routes.tsx', created, withAdded([], [cartRoute]))).toEqual({ strategy: 'regions', regions: [{ name: 'routes', lines: [cartRoute] }] });
  });

  it('names where outside text changed: at the start of the file, text added after its end, text cut from its end', () => {
    const note = '(markers count as outside text: regions cannot be added, removed or renamed by a contributing phase).';
    const firstLine = created.replace("import type { ReactNode } from 'react';", "import type { FC } from 'react';");
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', created, firstLine)).edits).toEqual([
      { entry: 'text outside the regions', message: `changed: after the start of the file it should read "import type { ReactNode } from 'react';", but reads "import type { FC } from 'react';" ${note}` },
    ]);
    const longer = `${created}\nexport default routes;\n`;
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', created, longer)).edits).toEqual([
      { entry: 'text outside the regions', message: `changed: after "" it should read the end of the file, but reads "export default routes;" ${note}` },
    ]);
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', longer, created)).edits).toEqual([
      { entry: 'text outside the regions', message: `changed: after "" it should read "export default routes;", but reads the end of the file ${note}` },
    ]);
  });

  it('rejects renamed or removed markers and malformed ones', () => {
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', created, created.replace(/routes\n/g, 'pages\n'))).edits[0].entry).toBe('text outside the regions');
    expect(forbiddenEdit(() => extractRegionsContribution('src/routes.tsx', created, created.replace('// nx-phases:end imports', ''))).edits).toEqual([
      { entry: 'line 7', message: 'region "routes" starts inside region "imports" (line 2); regions cannot nest.' },
    ]);
  });
});

describe('mergeRegionsContributions', () => {
  const creator = extractRegionsContribution('src/routes.tsx', undefined, created);
  const cart = extractRegionsContribution('src/routes.tsx', created, withAdded([cartImport], [cartRoute]));
  const search = extractRegionsContribution(
    'src/routes.tsx',
    created,
    withAdded(["import { SearchPage } from './pages/search';"], ["  { path: '/search', render: () => <SearchPage /> },"]),
  );

  it('fills the creator skeleton with every phase\'s lines in phase-number order, whatever order they come in', () => {
    const expected = withAdded(
      [cartImport, "import { SearchPage } from './pages/search';"],
      [cartRoute, "  { path: '/search', render: () => <SearchPage /> },"],
    );
    for (const order of permutations([recorded(1, creator), recorded(6, search), recorded(4, cart)])) {
      expect(mergeRegionsContributions('src/routes.tsx', order)).toBe(expected);
    }
  });

  it('keeps a line added by two phases once', () => {
    expect(mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(4, cart), recorded(5, cart)])).toBe(withAdded([cartImport], [cartRoute]));
  });

  it('reports two lines with the same key in a region as a conflict naming the file, the entry and both phases', () => {
    const basket = extractRegionsContribution('src/routes.tsx', created, withAdded(["import { BasketPage } from './pages/basket';"], ["  { path: '/cart', render: () => <BasketPage /> },"]));
    const merge = () => mergeRegionsContributions('src/routes.tsx', [recorded(9, basket), recorded(1, creator), recorded(4, cart)]);
    expect(merge).toThrow(MergeConflictError);
    expect(merge).toThrow(
      `Merge conflict in src/routes.tsx at region "routes", entry "path: '/cart'": Phase 4 (P4) gives it "  { path: '/cart', render: () => <CartPage /> },", ` +
        `Phase 9 (P9) gives it "  { path: '/cart', render: () => <BasketPage /> },".`,
    );
    const sameName = extractRegionsContribution('src/routes.tsx', created, withAdded(["import { CartPage } from './features/cart';"], []));
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(4, cart), recorded(5, sameName)])).toThrow(
      'at region "imports", entry "import CartPage"',
    );
  });

  it('refuses a contribution whose lines would close its region and open it again, naming the phase and the file', () => {
    const injected: RegionsContribution = { strategy: 'regions', regions: [{ name: 'routes', lines: ['  // nx-phases:end routes', 'steal();', '  // nx-phases:region routes'] }] };
    const merge = () => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(4, cart), recorded(6, injected)]);
    expect(merge).toThrow(ContributionError);
    expect(merge).toThrow(
      'The contribution of Phase 6 (P6) to src/routes.tsx cannot be merged: its line "  // nx-phases:end routes" breaks the regions of the merged file (line 13: there is a second region named "routes"; region names must be unique in a file.).',
    );
    const closer: RegionsContribution = { strategy: 'regions', regions: [{ name: 'imports', lines: ['// nx-phases:end imports', 'steal();', '// nx-phases:region tail'] }] };
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(5, closer)])).toThrow(
      'The contribution of Phase 5 (P5) to src/routes.tsx cannot be merged: its line "// nx-phases:end imports" breaks the regions',
    );
  });

  it('refuses lines that do not read back from the merged file (blank, a line break, trailing spaces), naming the phase', () => {
    for (const line of ['', 'a();\nsteal();', 'a();   ']) {
      const odd: RegionsContribution = { strategy: 'regions', regions: [{ name: 'routes', lines: [line] }] };
      expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(7, odd)])).toThrow(
        `The contribution of Phase 7 (P7) to src/routes.tsx cannot be merged: its line ${JSON.stringify(line)} in region "routes" does not read back as written from the merged file.`,
      );
    }
  });

  it('names the phase whose line does not read back, not an earlier or a later one, and the first phase to add it', () => {
    const adds = (line: string): RegionsContribution => ({ strategy: 'regions', regions: [{ name: 'routes', lines: [line] }] });
    // The region reads back as the creator's route, then "b();" (trailing spaces dropped), then "c();": the second line differs.
    const expected = 'The contribution of Phase 3 (P3) to src/routes.tsx cannot be merged: its line "b();   " in region "routes" does not read back as written from the merged file.';
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(3, adds('b();   ')), recorded(4, adds('c();'))])).toThrow(expected);
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(3, adds('b();   ')), recorded(5, adds('b();   '))])).toThrow(expected);
  });

  it.each([
    ['lines inside one of its regions', '// nx-phases:region a\n// nx-phases:end a\n// nx-phases:region b\nsteal();\n// nx-phases:end b\n', 'line 1: its skeleton has lines inside a region.'],
    ['an unclosed region', '// nx-phases:region routes\n', 'line 1: region "routes" is never closed'],
    ['lines inside a region', '// nx-phases:region routes\nsteal();\n// nx-phases:end routes\n', 'line 1: its skeleton has lines inside a region.'],
    ['a malformed marker', 'x(); // nx-phases:region routes\n', 'is not a valid marker'],
    ['a repeated region', '// nx-phases:region a\n// nx-phases:end a\n// nx-phases:region a\n// nx-phases:end a\n', 'there is a second region named "a"'],
  ])('refuses a creator whose skeleton has %s, naming the phase', (_, skeleton, problem) => {
    const bad: RegionsContribution = { strategy: 'regions', skeleton, regions: [] };
    const merge = () => mergeRegionsContributions('src/routes.tsx', [recorded(2, bad)]);
    expect(merge).toThrow(ContributionError);
    expect(merge).toThrow('The contribution of Phase 2 (P2) to src/routes.tsx cannot be merged: its skeleton is malformed (');
    expect(merge).toThrow(problem);
  });

  it('needs exactly one creator and only known regions', () => {
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(4, cart)])).toThrow(ContributionError);
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(4, cart)])).toThrow('no recorded contribution creates the file');
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(2, creator)])).toThrow('Phase 1 (P1) and Phase 2 (P2) both create it');
    const stray: RegionsContribution = { strategy: 'regions', regions: [{ name: 'nav', lines: ['x'] }] };
    expect(() => mergeRegionsContributions('src/routes.tsx', [recorded(1, creator), recorded(3, stray)])).toThrow(
      'The contribution of Phase 3 (P3) to src/routes.tsx cannot be merged: it adds to region "nav", which Phase 1 (P1) does not create. Fix: re-run phase 3 with --skip-nx-cache.',
    );
  });
});
