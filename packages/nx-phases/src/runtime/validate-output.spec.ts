import type { Phase } from '../plan/types';
import type { WalkedFile } from './file-walk';
import { assertPathsStayInside, PhaseOutputError, validatePhaseOutput } from './validate-output';

const phase = { number: 3, name: 'Auth', plannedFiles: ['src/a.ts', 'src/b.ts', 'bin/run.sh'] } as Phase;
const where = { planFile: 'apps/shop/phases.json', jsonPath: 'phases[2]' };
const file = (path: string, hash: string, executable = false): WalkedFile => ({ path, kind: 'file', hash, executable });
const files = (...list: WalkedFile[]) => new Map(list.map((f) => [f.path, f]));
const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PhaseOutputError);
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('validatePhaseOutput', () => {
  it('counts a file as written when its content, kind or execute bit changed, and lists executables sorted', () => {
    const before = files(file('src/a.ts', 'h1'), file('src/b.ts', 'h2'), file('bin/run.sh', 'h3'), file('docs/brand.md', 'h4'));
    const after = files(file('src/a.ts', 'h1'), file('src/b.ts', 'changed', true), file('bin/run.sh', 'h3', true), file('docs/brand.md', 'h4'));
    const output = validatePhaseOutput(before, after, phase, where);
    expect(output.written).toEqual(['src/b.ts', 'bin/run.sh']);
    expect(output.hashes).toEqual({ 'src/b.ts': 'changed', 'bin/run.sh': 'h3' });
    expect(output.executable).toEqual(['bin/run.sh', 'src/b.ts']);
    expect(output.warnings).toEqual(['Phase 3 (Auth) planned src/a.ts but did not write it.']);
  });

  it('does not count an unchanged file, so a phase that rewrote nothing warns about every planned file', () => {
    const same = files(file('src/a.ts', 'h1'), file('bin/run.sh', 'h3', true));
    const output = validatePhaseOutput(same, files(file('src/a.ts', 'h1'), file('bin/run.sh', 'h3', true)), phase, where);
    expect(output).toEqual({
      written: [],
      hashes: {},
      executable: [],
      warnings: ['src/a.ts', 'src/b.ts', 'bin/run.sh'].map((p) => `Phase 3 (Auth) planned ${p} but did not write it.`),
    });
  });

  it('refuses, listing every offence with its fix: an unplanned file, a symlink, a deleted file; commits nothing', () => {
    const before = files(file('docs/brand.md', 'h4'));
    const after = files(file('src/extra.ts', 'x'), { path: 'src/a.ts', kind: 'symlink', hash: '', executable: false });
    expect(errorOf(() => validatePhaseOutput(before, after, phase, where))).toBe(
      'Phase 3 (Auth) produced invalid output, so nothing was committed:\n' +
        '  - "src/extra.ts" is not in its plannedFiles. Add "src/extra.ts" to phases[2].plannedFiles in apps/shop/phases.json, or stop the generator from writing it.\n' +
        '  - "src/a.ts" is a symlink; phases may only write regular files.\n' +
        '  - "docs/brand.md" was deleted; phases may not delete files. Remove the deletion from the generator.',
    );
  });

  it('refuses a planned file turned into a symlink although its hash field is unchanged', () => {
    const before = files(file('src/a.ts', ''));
    const after = files({ path: 'src/a.ts', kind: 'symlink', hash: '', executable: false });
    expect(errorOf(() => validatePhaseOutput(before, after, phase, where))).toContain('"src/a.ts" is a symlink');
  });
});

describe('assertPathsStayInside', () => {
  it('lets relative paths inside the app root through, including names that only contain dots', () => {
    expect(() => assertPathsStayInside(['src/a.ts', 'src/..hidden', 'a/b/../c.ts', '...'], phase, where)).not.toThrow();
  });

  it('refuses absolute paths and paths that climb out, with either slash, naming each and the plan entry', () => {
    expect(errorOf(() => assertPathsStayInside(['src/ok.ts', '/etc/passwd', '../x', 'a\\..\\..\\y', 'a/../../z'], phase, where))).toBe(
      'Phase 3 (Auth) tried to write outside its app root: "/etc/passwd", "../x", "a\\\\..\\\\..\\\\y", "a/../../z". ' +
        'Phases may only write their plannedFiles (phases[2].plannedFiles in apps/shop/phases.json), as paths relative to the app root.',
    );
  });

  it('names the first 20 escapes and counts the rest', () => {
    const escapes = Array.from({ length: 1_021 }, (_, i) => `../f${i}`);
    const message = errorOf(() => assertPathsStayInside(escapes, phase, where));
    expect(message).toContain('"../f19" and 1,001 more. Phases may only');
    expect(message).not.toContain('"../f20"');
    const twenty = errorOf(() => assertPathsStayInside(escapes.slice(0, 20), phase, where));
    expect(twenty).toContain('"../f19". Phases may only');
  });
});
