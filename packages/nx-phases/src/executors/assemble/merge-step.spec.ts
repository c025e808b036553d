import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MergeWorkspace, type Op } from './test-utils/merge-workspace';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const MERGE = { 'package.json': 'json', '.env.example': 'lines', 'src/routes.tsx': 'regions' };
const SHARED = ['package.json', '.env.example', 'src/routes.tsx'];
const PHASES = [
  { number: 1, name: 'Setup', plannedFiles: [...SHARED, 'src/App.tsx'] },
  { number: 2, name: 'Cart', dependencies: [1], plannedFiles: [...SHARED, 'src/pages/cart.tsx'] },
  { number: 3, name: 'Search', dependencies: [1], plannedFiles: [...SHARED, 'src/pages/search.tsx'] },
  { number: 4, name: 'Checkout', dependencies: [2, 3], plannedFiles: [...SHARED, 'src/seen.txt'] },
];
const SKELETON = ['// nx-phases:region imports', '// nx-phases:end imports', 'export const routes = [', '  // nx-phases:region routes', '  // nx-phases:end routes', '];', ''].join('\n');

/** A feature phase's additions: a dependency, a variable, a page import and its route. */
function feature(name: string, dependency: string, variable: string): Op[] {
  return [
    ['json', 'package.json', ['dependencies', dependency], '^1.0.0'],
    ['line', '.env.example', `${variable}=`],
    ['region', 'src/routes.tsx', 'imports', `import { ${name}Page } from './pages/${name.toLowerCase()}';`],
    ['region', 'src/routes.tsx', 'routes', `  { path: '/${name.toLowerCase()}', render: () => <${name}Page /> },`],
    ['write', `src/pages/${name.toLowerCase()}.tsx`, `export const ${name}Page = () => null;\n`],
  ];
}

const OPS: Record<number, Op[]> = {
  1: [
    ['json', 'package.json', ['name'], 'app'],
    ['json', 'package.json', ['dependencies', 'react'], '^19.0.0'],
    ['write', '.env.example', 'API_URL=http://localhost:3000\n'],
    ['write', 'src/routes.tsx', SKELETON],
    ['write', 'src/App.tsx', 'export {};\n'],
  ],
  2: feature('Cart', 'zod', 'STRIPE_KEY'),
  3: feature('Search', 'fuse.js', 'SEARCH_INDEX'),
  4: [['copy', 'src/seen.txt', ...SHARED], ['json', 'package.json', ['scripts', 'checkout'], 'node checkout.js']],
};

const MERGED_ROUTES = [
  '// nx-phases:region imports',
  "import { CartPage } from './pages/cart';",
  "import { SearchPage } from './pages/search';",
  '// nx-phases:end imports',
  'export const routes = [',
  '  // nx-phases:region routes',
  "  { path: '/cart', render: () => <CartPage /> },",
  "  { path: '/search', render: () => <SearchPage /> },",
  '  // nx-phases:end routes',
  '];',
  '',
].join('\n');

describe('mergeable files through the phase executor and the merge step of the assemble executor', () => {
  let mw: MergeWorkspace;

  beforeEach(() => {
    mw = new MergeWorkspace();
    jest.spyOn(console, 'error').mockImplementation((...args) => void mw.errors.push(args.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((message) => void mw.errors.push(String(message)));
    jest.spyOn(console, 'log').mockImplementation((message) => void mw.logs.push(String(message)));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    mw.dispose();
  });

  async function runAll(order: number[]): Promise<void> {
    for (const phase of order) await expect(mw.runPhase(phase)).resolves.toEqual({ success: true });
    await expect(mw.assemble()).resolves.toEqual({ success: true });
  }

  it('records contributions instead of committing merged files, and assembles the app from them', async () => {
    mw.writePlan(MERGE, PHASES, OPS);
    await runAll([1, 2, 3, 4]);
    expect(JSON.parse(mw.app('package.json'))).toEqual({
      name: 'app',
      dependencies: { react: '^19.0.0', zod: '^1.0.0', 'fuse.js': '^1.0.0' },
      scripts: { checkout: 'node checkout.js' },
    });
    expect(mw.app('.env.example')).toBe('API_URL=http://localhost:3000\nSTRIPE_KEY=\nSEARCH_INDEX=\n');
    expect(mw.app('src/routes.tsx')).toBe(MERGED_ROUTES);
    const manifest = JSON.parse(mw.app('.phases/2/manifest.json'));
    expect(Object.keys(manifest.files)).toEqual(['src/pages/cart.tsx']);
    expect(Object.keys(manifest.contributions).sort()).toEqual(['.env.example', 'package.json', 'src/routes.tsx']);
    expect(JSON.parse(mw.app('.phases/2/contributions.json'))).toEqual({
      '.env.example': { strategy: 'lines', lines: ['STRIPE_KEY='] },
      'package.json': { strategy: 'json', entries: [{ op: 'set', path: ['dependencies', 'zod'], value: '^1.0.0' }] },
      'src/routes.tsx': {
        strategy: 'regions',
        regions: [
          { name: 'imports', lines: ["import { CartPage } from './pages/cart';"] },
          { name: 'routes', lines: ["  { path: '/cart', render: () => <CartPage /> },"] },
        ],
      },
    });
    expect(mw.files()).not.toHaveProperty('apps/app/.phases/2/files/package.json');
    expect(mw.logs.join('\n')).toContain('nx-phases: merged 3 shared files of app:\n  .env.example (lines): 3 contributions from phases 1, 2, 3; written');
  });

  it('gives a phase the merge of its transitive dependencies\' contributions, never a sibling\'s', async () => {
    mw.writePlan(MERGE, PHASES, OPS);
    await runAll([1, 2, 3, 4]);
    const seen = mw.app('src/seen.txt');
    expect(seen).toContain('"zod": "^1.0.0"');
    expect(seen).toContain('"fuse.js": "^1.0.0"');
    expect(seen).toContain(MERGED_ROUTES);
    mw.writePlan(MERGE, PHASES, { ...OPS, 3: [...OPS[3], ['copy', 'src/pages/search.tsx', 'package.json', 'src/routes.tsx']] });
    await expect(mw.runPhase(3)).resolves.toEqual({ success: true });
    const search = mw.app('src/pages/search.tsx');
    expect(search).toContain('"fuse.js": "^1.0.0"');
    expect(search).toContain('SearchPage');
    expect(search).not.toContain('zod');
    expect(search).not.toContain('CartPage');
  });

  it('produces byte-identical apps and records whatever order concurrent phases ran in', async () => {
    mw.writePlan(MERGE, PHASES, OPS);
    await runAll([1, 2, 3, 4]);
    const first = mw.files();
    const other = new MergeWorkspace();
    try {
      other.writePlan(MERGE, PHASES, OPS);
      for (const phase of [1, 3, 2, 4]) await expect(other.runPhase(phase)).resolves.toEqual({ success: true });
      await expect(other.assemble()).resolves.toEqual({ success: true });
      expect(other.files()).toEqual(Object.fromEntries(Object.entries(first).map(([path, text]) => [path.replace(mw.ws.root, other.ws.root), text])));
    } finally {
      other.dispose();
    }
  });

  it.each([
    ['package.json', [['jsonDelete', 'package.json', ['dependencies', 'react']]], 'dependencies.react: removed (it was "^19.0.0").'],
    ['package.json', [['json', 'package.json', ['dependencies', 'react'], '^18.0.0']], 'dependencies.react: changed from "^19.0.0" to "^18.0.0".'],
    ['.env.example', [['replace', '.env.example', 'localhost', 'example.com']], 'line "API_URL=http://example.com:3000": gives API_URL a second value'],
    ['src/routes.tsx', [['replace', 'src/routes.tsx', 'export const', 'export let']], 'text outside the regions: changed'],
  ] as Array<[string, Op[], string]>)('fails a phase that removes or changes an entry of %s, committing nothing', async (file, ops, entry) => {
    mw.writePlan(MERGE, PHASES, { ...OPS, 2: [...ops, ['write', 'src/pages/cart.tsx', 'x']] });
    await expect(mw.runPhase(1)).resolves.toEqual({ success: true });
    await expect(mw.runPhase(2)).resolves.toEqual({ success: false });
    const error = mw.errors.join('\n');
    expect(error).toContain('Phase 2 (Cart) edited mergeable files in ways it may not, so nothing was committed:');
    expect(error).toContain(`${file} is merged (strategy "${MERGE[file as keyof typeof MERGE]}"): a phase may only add entries to it`);
    expect(error).toContain(entry);
    expect(mw.ws.exists('apps/app/.phases/2/manifest.json')).toBe(false);
    expect(mw.ws.exists('apps/app/src/pages/cart.tsx')).toBe(false);
  });

  it('fails the merge on a conflict, naming file, key and both phases, and leaves the app as it was', async () => {
    mw.writePlan(MERGE, PHASES, OPS);
    await runAll([1, 2, 3, 4]);
    const before = mw.files();
    mw.writePlan(MERGE, PHASES, { ...OPS, 3: [...OPS[3], ['json', 'package.json', ['dependencies', 'zod'], '^4.0.0'], ['line', '.env.example', 'STRIPE_KEY=sk']] });
    await expect(mw.runPhase(3)).resolves.toEqual({ success: true });
    const records = mw.files();
    await expect(mw.assemble()).resolves.toEqual({ success: false });
    expect(mw.errors.join('\n')).toContain(
      'nx-phases: the shared files of apps/app/phases.json were not merged, and the app was left as it was.\n' +
        'Merge conflict in .env.example at STRIPE_KEY: Phase 2 (Cart) gives it "STRIPE_KEY=", Phase 3 (Search) gives it "STRIPE_KEY=sk".\n' +
        'Fix: change one of the two phases so that they agree',
    );
    expect(mw.files()).toEqual(records);
    expect(mw.app('package.json')).toBe(before['apps/app/package.json']);
    await expect(mw.runPhase(4)).resolves.toEqual({ success: false });
    expect(mw.errors.join('\n')).toContain('The snapshot of Phase 4 (Checkout) cannot be built: its dependencies\' contributions conflict.');
  });

  it('keeps number literals exactly as the phase wrote them, through its record and the merge', async () => {
    const numbers = '"name": "app", "appId": 12345678901234567890, "ratio": 0.10000000000000000555, "retries": 3.0';
    // Phase 4 only copies what it saw: the test generator's json op goes through JSON.parse, which rounds (and is caught).
    mw.writePlan(MERGE, PHASES, { ...OPS, 2: [...OPS[2], ['replace', 'package.json', '"name": "app"', numbers]], 4: [OPS[4][0]] });
    for (const phase of [1, 2, 3, 4]) await expect(mw.runPhase(phase).then((r) => [phase, r.success, mw.errors.join('\n')])).resolves.toEqual([phase, true, '']);
    await expect(mw.assemble()).resolves.toEqual({ success: true });
    expect(mw.app('package.json')).toContain('"appId": 12345678901234567890,\n  "ratio": 0.10000000000000000555,\n  "retries": 3.0\n}');
    expect(mw.app('.phases/2/contributions.json')).toContain('"value": 12345678901234567890');
    expect(mw.app('src/seen.txt')).toContain('"appId": 12345678901234567890');
  });

  it.each([
    ['a number too large for a double', '"max": 1e400', 'max: the number 1e400 is too large for JSON tools (it reads as Infinity); write it as a string.'],
    ['JSON nested 20,000 levels', `"deep": ${'['.repeat(20_000)}${']'.repeat(20_000)}`, '(root): its version cannot be read: it nests objects and arrays more than 256 levels deep (line 2, column'],
  ])('fails a phase writing %s into a merged file with a message, committing nothing', async (_, added, message) => {
    mw.writePlan(MERGE, PHASES, { ...OPS, 2: [...OPS[2], ['replace', 'package.json', '"name": "app"', `"name": "app", ${added}`]] });
    await expect(mw.runPhase(1)).resolves.toEqual({ success: true });
    await expect(mw.runPhase(2)).resolves.toEqual({ success: false });
    expect(mw.errors.join('\n')).toContain('Phase 2 (Cart) edited mergeable files in ways it may not, so nothing was committed:');
    expect(mw.errors.join('\n')).toContain(`  - ${message}`);
    expect(mw.errors.join('\n')).not.toContain('Maximum call stack');
    expect(mw.ws.exists('apps/app/.phases/2/manifest.json')).toBe(false);
  });

  it('fails a regions contributor whose creator did not write the file', async () => {
    mw.writePlan(MERGE, PHASES, { ...OPS, 1: OPS[1].filter(([, file]) => file !== 'src/routes.tsx'), 2: [['write', 'src/routes.tsx', SKELETON]] });
    await expect(mw.runPhase(1)).resolves.toEqual({ success: true });
    await expect(mw.runPhase(2)).resolves.toEqual({ success: false });
    expect(mw.errors.join('\n')).toContain('src/routes.tsx is merged as regions and created by Phase 1 (Setup), but its snapshot has no src/routes.tsx to add to');
  });

  describe('hand edits of merged files (issue 17, item 2)', () => {
    const devScript = (text: string) => text.replace('"checkout": "node checkout.js"', '"checkout": "node checkout.js",\n    "dev": "vite --port 4000"');

    beforeEach(async () => {
      mw.writePlan(MERGE, PHASES, OPS);
      await runAll([1, 2, 3, 4]);
    });

    it('keeps an edited merged file and fails the merge naming the file, what differs and the fix', async () => {
      const edited = devScript(mw.app('package.json'));
      writeFileSync(join(mw.ws.root, 'apps/app/package.json'), edited);
      writeFileSync(join(mw.ws.root, 'apps/app/.env.example'), `${mw.app('.env.example')}DEBUG=true\n`);
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      expect(mw.app('package.json')).toBe(edited);
      expect(mw.errors.join('\n')).toContain(
        'nx-phases: the shared files of apps/app/phases.json were not merged, and the app was left as it was.\n' +
          '2 merged files were changed since the merge last wrote them, so nothing was overwritten:\n' +
          '  apps/app/.env.example:\n    - added line "DEBUG=true"\n' +
          '  apps/app/package.json:\n    - added scripts.dev: "vite --port 4000"\n' +
          'Fix: to keep an edit, make it part of a phase',
      );
      expect(mw.errors.join('\n')).toContain('to drop it and take the merged file, delete apps/app/.env.example, apps/app/package.json and run again');
    });

    it('fails again on every run until the user decides, even when the contributions change meanwhile', async () => {
      const edited = devScript(mw.app('package.json'));
      writeFileSync(join(mw.ws.root, 'apps/app/package.json'), edited);
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      mw.writePlan(MERGE, PHASES, { ...OPS, 3: [...OPS[3], ['json', 'package.json', ['dependencies', 'lodash'], '^4.0.0']] });
      await expect(mw.runPhase(3)).resolves.toEqual({ success: true });
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      expect(mw.app('package.json')).toBe(edited);
    });

    it('takes the merged file again once the user deletes the edited one', async () => {
      const merged = mw.app('package.json');
      writeFileSync(join(mw.ws.root, 'apps/app/package.json'), devScript(merged));
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      rmSync(join(mw.ws.root, 'apps/app/package.json'));
      await expect(mw.assemble()).resolves.toEqual({ success: true });
      expect(mw.app('package.json')).toBe(merged);
    });

    it('still updates a merged file nobody edited when a phase adds to it', async () => {
      mw.writePlan(MERGE, PHASES, { ...OPS, 3: [...OPS[3], ['json', 'package.json', ['dependencies', 'lodash'], '^4.0.0']] });
      await expect(mw.runPhase(3)).resolves.toEqual({ success: true });
      await expect(mw.assemble()).resolves.toEqual({ success: true });
      expect(JSON.parse(mw.app('package.json')).dependencies.lodash).toBe('^4.0.0');
      expect(JSON.parse(mw.app('.phases/merged.json')).files['package.json']).toEqual([sha256(mw.app('package.json'))]);
    });

    it('treats a file it has no record of writing as edited, and says why', async () => {
      const edited = devScript(mw.app('package.json'));
      writeFileSync(join(mw.ws.root, 'apps/app/package.json'), edited);
      for (const record of ['{"version":1,"files":{"package.json":["not-a-hash"]}}', 'nonsense']) {
        writeFileSync(join(mw.ws.root, 'apps/app/.phases/merged.json'), record);
        await expect(mw.assemble()).resolves.toEqual({ success: false });
      }
      rmSync(join(mw.ws.root, 'apps/app/.phases/merged.json'));
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      expect(mw.errors.join('\n')).toContain('1 merged file was changed'.replace('1 merged file was', 'A merged file was'));
      expect(mw.errors.join('\n')).toContain('(the merge cannot tell: .phases/merged.json is missing)');
      expect(mw.errors.join('\n')).toContain('(the merge cannot tell: .phases/merged.json cannot be read (');
      expect(mw.app('package.json')).toBe(edited);
    });

    it('overwrites a file the merge itself left half-way (both texts recorded while it writes)', async () => {
      const before = mw.app('package.json');
      const recordPath = join(mw.ws.root, 'apps/app/.phases/merged.json');
      const record = JSON.parse(mw.app('.phases/merged.json'));
      mw.writePlan(MERGE, PHASES, { ...OPS, 3: [...OPS[3], ['json', 'package.json', ['dependencies', 'lodash'], '^4.0.0']] });
      await expect(mw.runPhase(3)).resolves.toEqual({ success: true });
      await expect(mw.assemble()).resolves.toEqual({ success: true });
      const after = mw.app('package.json');
      // As if the process died after writing the record of the first merge and the file of the second.
      writeFileSync(recordPath, JSON.stringify({ version: 1, files: { ...record.files, 'package.json': [sha256(before), sha256(after)] } }));
      writeFileSync(join(mw.ws.root, 'apps/app/package.json'), before);
      await expect(mw.assemble()).resolves.toEqual({ success: true });
      expect(mw.app('package.json')).toBe(after);
    });
  });

  describe('untrusted records', () => {
    beforeEach(async () => {
      mw.writePlan(MERGE, PHASES, OPS);
      await runAll([1, 2, 3, 4]);
    });

    it('refuses a contribution that does not match the manifest', async () => {
      const path = join(mw.ws.root, 'apps/app/.phases/2/contributions.json');
      writeFileSync(path, mw.app('.phases/2/contributions.json').replace('zod', 'evil'));
      const app = mw.files();
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      expect(mw.errors.join('\n')).toContain(
        'The record of Phase 2 (Cart) is not valid: the contribution to "package.json" does not match its manifest. Fix: delete apps/app/.phases/2 and re-run that phase with --skip-nx-cache.',
      );
      expect(mw.files()).toEqual(app);
    });

    it.each([
      ['a contributions.json nested 20,000 levels', '.phases/2/contributions.json', 'The record of Phase 2 (Cart) is not valid: .phases/2/contributions.json cannot be read: it nests objects and arrays more than 260 levels deep'],
      ['a manifest nested 20,000 levels', '.phases/2/manifest.json', 'apps/app/.phases/2/manifest.json is not a valid nx-phases manifest'],
    ])('refuses %s with a message, not a stack overflow', async (_, file, message) => {
      const app = mw.app('package.json');
      writeFileSync(join(mw.ws.root, 'apps/app', file), `{"a": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      expect(mw.errors.join('\n')).toContain(message);
      expect(mw.errors.join('\n')).toContain('more than 2');
      expect(mw.errors.join('\n')).not.toContain('Maximum call stack');
      expect(mw.app('package.json')).toBe(app);
    });

    it('refuses a manifest listing a contribution to a file the phase does not plan as mergeable', async () => {
      const path = join(mw.ws.root, 'apps/app/.phases/2/manifest.json');
      const manifest = JSON.parse(mw.app('.phases/2/manifest.json'));
      manifest.contributions['../../etc/passwd'] = manifest.contributions['package.json'];
      writeFileSync(path, JSON.stringify(manifest));
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      expect(mw.errors.join('\n')).toContain('apps/app/.phases/2/manifest.json is not a valid nx-phases manifest');
      expect(mw.errors.join('\n')).toContain('"contributions" key "../../etc/passwd" contains a ".." segment and could leave the app root.');
      manifest.contributions = { 'src/App.tsx': manifest.contributions['package.json'] };
      writeFileSync(path, JSON.stringify(manifest));
      await expect(mw.assemble()).resolves.toEqual({ success: false });
      expect(mw.errors.join('\n')).toContain('its manifest lists a contribution to "src/App.tsx", which is not a mergeable file this phase plans.');
    });
  });
});
