import { findPathCollisions } from './path-collisions';
import type { PathOccurrence } from './path-collisions';

/** A listed (not predicted) file of phase `n`, at `plannedFiles[0]`. */
function planned(n: number, path: string): PathOccurrence {
  return { path, where: `phases[${n - 1}].plannedFiles[0]`, owner: `phase ${n}`, predicted: false };
}

describe('findPathCollisions', () => {
  it('reports two spellings of one file that differ only in case, in a folder spelled the same', () => {
    expect(findPathCollisions([planned(1, 'src/Button.tsx'), planned(2, 'src/button.tsx')])).toEqual([
      {
        path: 'phases[1].plannedFiles[0]',
        message: '"src/button.tsx" differs only in case from "src/Button.tsx" (phases[0].plannedFiles[0]); use one spelling.',
        hint: 'macOS and Windows treat both as the same file: write "src/Button.tsx" everywhere in the plan.',
      },
    ]);
    expect(findPathCollisions([planned(1, 'README.md'), planned(2, 'readme.md')]).map((finding) => finding.path)).toEqual(['phases[1].plannedFiles[0]']);
  });

  it('finds nothing when every path has one spelling and no file is used as a folder', () => {
    expect(findPathCollisions([planned(1, 'src/a/b.ts'), planned(2, 'src/a/c.ts'), planned(3, 'src/ab.ts')])).toEqual([]);
  });
});
