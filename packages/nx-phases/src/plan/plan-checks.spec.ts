import { checkPlanSemantics } from './plan-checks';
import { predictPhaseFiles } from './predict-files';

/** The findings for a plan document with these phases (and other top-level fields). */
function findingsOf(phases: unknown[], rest: Record<string, unknown> = {}) {
  return checkPlanSemantics({ name: 'shop', phases, ...rest }, 'phases.json');
}

describe('checkPlanSemantics', () => {
  it('names a duplicate as written, adding its normalised form only when normalising changed it', () => {
    expect(findingsOf([{ number: 1, name: 'Cart', plannedFiles: ['src/a.ts', 'src/a.ts', './src//a.ts'] }])).toEqual([
      { path: 'phases[0].plannedFiles[1]', message: '"src/a.ts" is already listed at phases[0].plannedFiles[0].', hint: 'Remove the duplicate entry.' },
      {
        path: 'phases[0].plannedFiles[2]',
        message: '"./src//a.ts" (normalised "src/a.ts") is already listed at phases[0].plannedFiles[0].',
        hint: 'Remove the duplicate entry.',
      },
    ]);
  });

  it('labels a phase by its number alone when its name is not text, and by its position when it has no number', () => {
    expect(findingsOf([{ number: 1, name: 42, dependencies: [1], plannedFiles: ['src/a.ts'] }])).toEqual([
      { path: 'phases[0].dependencies[0]', message: 'Phase 1 depends on itself.', hint: 'Remove 1 from its own dependencies.' },
    ]);
    expect(
      findingsOf([
        { name: 'Cart', plannedFiles: ['src/a.ts'] },
        { number: 2, name: 'Shop', plannedFiles: ['src/a.ts/b.ts'] },
      ]).map((finding) => finding.message),
    ).toEqual(['"src/a.ts/b.ts" uses "src/a.ts" as a folder, but phase phases[0] (Cart) plans "src/a.ts" as a file (phases[0].plannedFiles[0]).']);
  });

  it('checks the files predicted from a phase\'s features, and predicts none from features that are not all text', () => {
    const [predicted] = predictPhaseFiles({ name: 'Cart', domain: 'feature', features: ['Wishlist'] });
    expect(findingsOf([{ number: 1, name: 'Cart', features: ['Wishlist'] }], { context: [predicted] })).toEqual([
      {
        path: 'phases[0].plannedFiles',
        message: `Phase 1 (Cart) has no plannedFiles, and its predicted file "${predicted}" is a shared context file, which is read-only.`,
        hint: 'List "plannedFiles" explicitly for this phase, or remove the file from "context".',
      },
    ]);
    // The schema reports the number; these checks must neither throw nor invent predicted files.
    expect(findingsOf([{ number: 1, name: 'Cart', features: ['Wishlist', 42] }], { context: [predicted] })).toEqual([]);
  });

  it('predicts no wiring file from a merge entry whose path is refused', () => {
    // "/package.json" is refused as absolute; were it taken as the mergeable "package.json", the Checkout phase would
    // be predicted to add to package.json, which the context lists as read-only.
    const findings = findingsOf([{ number: 1, name: 'Checkout', features: ['Payment'] }], {
      context: ['package.json'],
      merge: { '/package.json': 'json' },
    });
    expect(findings.map((finding) => finding.path)).toEqual(['merge["/package.json"]']);
  });
});
