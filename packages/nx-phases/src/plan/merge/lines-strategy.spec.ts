import { MergeConflictError } from './errors';
import { extractLinesContribution, mergeLinesContributions } from './lines-strategy';
import { forbiddenEdit, permutations, recorded } from './test-utils/merge-cases';

const base = 'API_URL=http://localhost:3000\n# Payments\nnode_modules/\n';

describe('extractLinesContribution', () => {
  it('records every line of a created file, without blank lines, trailing spaces or repeats', () => {
    expect(extractLinesContribution('.env.example', undefined, 'A=1  \r\n\r\n# c\nA=1\n')).toEqual({ strategy: 'lines', lines: ['A=1', '# c'] });
  });

  it('ignores a byte-order mark: a file saved with one is the same lines, and its first line is no new entry', () => {
    expect(extractLinesContribution('.gitignore', '\uFEFFnode_modules/\n', 'node_modules/\ndist/\n').lines).toEqual(['dist/']);
    expect(extractLinesContribution('.gitignore', 'node_modules/\n', '\uFEFFnode_modules/\ndist/\n').lines).toEqual(['dist/']);
  });

  it('counts no blank line and no final newline as an entry: a phase may drop them, and a file may lack them', () => {
    expect(extractLinesContribution('.env.example', 'A=1\n\nB=2\n', 'A=1\nB=2').lines).toEqual([]);
    expect(extractLinesContribution('.gitignore', undefined, 'dist/')).toEqual({ strategy: 'lines', lines: ['dist/'] });
  });

  it('keeps a U+FEFF inside a line as the phase wrote it: only a leading byte-order mark is dropped', () => {
    expect(extractLinesContribution('.env.example', undefined, 'A=1\nB=x\uFEFFy\n').lines).toEqual(['A=1', 'B=x\uFEFFy']);
  });

  it('records only the lines the phase added, wherever it put them', () => {
    const version = 'STRIPE_KEY=\nAPI_URL=http://localhost:3000\n# Payments\n\nnode_modules/\ndist/\n';
    expect(extractLinesContribution('.env.example', base, version).lines).toEqual(['STRIPE_KEY=', 'dist/']);
  });

  it('rejects a removed line and a second value for a variable, naming each line', () => {
    const error = forbiddenEdit(() => extractLinesContribution('.env.example', base, 'API_URL=https://api.example.com\n# Payments\n'));
    expect(error.edits).toEqual([
      { entry: 'line "API_URL=https://api.example.com"', message: 'gives API_URL a second value (it has "API_URL=http://localhost:3000").' },
      { entry: 'line "API_URL=http://localhost:3000"', message: 'removed.' },
      { entry: 'line "node_modules/"', message: 'removed.' },
    ]);
    expect(error.message).toMatch(/^\.env\.example is merged \(strategy "lines"\)/);
  });

  it('rejects a phase that sets a new variable twice', () => {
    expect(forbiddenEdit(() => extractLinesContribution('.env.example', base, `${base}export TOKEN=a\nTOKEN=b\n`)).edits).toEqual([
      { entry: 'line "TOKEN=b"', message: 'gives TOKEN a second value (it has "export TOKEN=a").' },
    ]);
  });
});

describe('mergeLinesContributions', () => {
  const setup = extractLinesContribution('.env.example', undefined, base);
  const payments = extractLinesContribution('.env.example', base, `${base}STRIPE_KEY=\n`);
  const search = extractLinesContribution('.env.example', base, `SEARCH_INDEX=products\n${base}STRIPE_KEY=\n`);

  it('unions the lines in phase-number order, the same whatever order they come in', () => {
    for (const order of permutations([recorded(1, setup), recorded(5, search), recorded(3, payments)])) {
      expect(mergeLinesContributions('.env.example', order)).toBe('API_URL=http://localhost:3000\n# Payments\nnode_modules/\nSTRIPE_KEY=\nSEARCH_INDEX=products\n');
    }
  });

  it('reports two values of one variable as a conflict naming both phases', () => {
    const other = extractLinesContribution('.env.example', base, `${base}STRIPE_KEY=sk_test\n`);
    const merge = () => mergeLinesContributions('.env.example', [recorded(1, setup), recorded(6, other), recorded(3, payments)]);
    expect(merge).toThrow(MergeConflictError);
    expect(merge).toThrow('Merge conflict in .env.example at STRIPE_KEY: Phase 3 (P3) gives it "STRIPE_KEY=", Phase 6 (P6) gives it "STRIPE_KEY=sk_test".');
  });

  it('gives an empty text when nothing was added', () => {
    expect(mergeLinesContributions('.gitignore', [recorded(1, { strategy: 'lines', lines: [] })])).toBe('');
  });
});
