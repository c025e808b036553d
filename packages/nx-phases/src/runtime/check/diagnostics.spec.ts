import { parsePlan } from '../../plan';
import { formatDiagnostic, parseDiagnostics } from './diagnostics';
import { describeMissingDependency, findMissingDependencies } from './missing-dependency';

describe('parseDiagnostics', () => {
  it('reads tsc and file:line:col diagnostics inside the snapshot, relative to it', () => {
    const output = [
      "src/app.tsx(3,24): error TS2307: Cannot find module './components/star-rating' or its corresponding type declarations.",
      '/tmp/snap-1/src/b.ts:10:5: Unexpected any',
      '/usr/lib/node_modules/x/index.d.ts(1,1): error TS1: outside the snapshot',
      'node_modules/@types/react/index.d.ts(5,1): error TS2: in node_modules',
      'Found 2 errors.',
    ].join('\n');
    const diagnostics = parseDiagnostics(output, '/tmp/snap-1');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "src/app.tsx:3:24 error TS2307: Cannot find module './components/star-rating' or its corresponding type declarations.",
      'src/b.ts:10:5 Unexpected any',
    ]);
  });
});

describe('findMissingDependencies', () => {
  const plan = parsePlan(
    JSON.stringify({
      name: 'shop',
      phases: [
        { number: 1, name: 'Setup', plannedFiles: ['src/main.tsx'] },
        { number: 4, name: 'Rating', dependencies: [1], plannedFiles: ['src/components/star-rating.tsx'] },
        { number: 5, name: 'Cart', dependencies: [1], plannedFiles: ['src/cart.ts'] },
        { number: 7, name: 'Reviews', dependencies: [5], plannedFiles: ['src/reviews/list.tsx', 'src/App.tsx'] },
        { number: 9, name: 'Shell', dependencies: [7], plannedFiles: ['src/App.tsx'] },
      ],
    }),
    'phases.json',
  );
  const phase7 = plan.phases.find((p) => p.number === 7)!;

  it('names the phase that plans an imported file the phase does not depend on', () => {
    const diagnostics = parseDiagnostics("src/reviews/list.tsx(1,24): error TS2307: Cannot find module '../components/star-rating'.", '/s');
    const missing = findMissingDependencies(diagnostics, plan, phase7);
    expect(missing).toEqual([{ file: 'src/components/star-rating.tsx', plannedBy: 4 }]);
    expect(describeMissingDependency(phase7, missing[0])).toBe(
      "phase 7 imports src/components/star-rating.tsx, planned by phase 4, which it does not depend on: add 4 to phase 7's dependencies",
    );
  });

  it('names nothing for files of its own transitive dependencies or unplanned files', () => {
    const diagnostics = parseDiagnostics(
      ["src/reviews/list.tsx(1,1): error TS2307: Cannot find module '../cart'.", "src/reviews/list.tsx(2,1): error TS2307: Cannot find module '../main'.", "src/reviews/list.tsx(3,1): error TS2307: Cannot find module './nowhere'."].join('\n'),
      '/s',
    );
    expect(findMissingDependencies(diagnostics, plan, phase7)).toEqual([]);
  });

  it('names nothing for a file the phase plans itself, even when a later phase plans it too', () => {
    // The demo's Setup writes src/App.tsx, which its last phase rewrites: a diagnostic there is Setup's own.
    const diagnostics = parseDiagnostics('src/App.tsx(20,5): error TS2875: This JSX tag requires the module path.', '/s');
    expect(findMissingDependencies(diagnostics, plan, phase7)).toEqual([]);
  });
});
