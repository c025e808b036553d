import { collectContributions, mergeCollected, phaseLabel } from './collect';
import { hashesOf, MergeApp } from './test-utils/merge-app';

const lines = (...added: string[]) => ({ strategy: 'lines', lines: added });

describe('collectContributions / mergeCollected', () => {
  let app: MergeApp;
  beforeEach(() => {
    app = new MergeApp({ '.env.example': 'lines', '.gitignore': 'lines' }, [
      { number: 1, plannedFiles: ['.env.example', '.gitignore'] },
      { number: 2, dependencies: [1], plannedFiles: ['.env.example'] },
      { number: 3, dependencies: [1], plannedFiles: ['.env.example'] },
      { number: 4, dependencies: [1], plannedFiles: ['src/no-record.ts'] },
    ]);
    app.record(1, { '.env.example': lines('A=1') });
    app.record(2, { '.env.example': lines('B=2') });
    app.record(3, { '.env.example': lines('C=3') });
  });
  afterEach(() => app.dispose());
  const collect = (phases: number[]) => collectContributions({ workspaceRoot: app.ws.root, appRoot: app.appRoot, plan: app.plan, phases });

  it('groups the contributions by mergeable file, each file listed even when nobody added to it', () => {
    expect(collect([1, 2, 4])).toEqual(
      new Map([
        [
          '.env.example',
          [
            { by: { number: 1, name: 'P1' }, contribution: lines('A=1') },
            { by: { number: 2, name: 'P2' }, contribution: lines('B=2') },
          ],
        ],
        ['.gitignore', []],
      ]),
    );
  });

  it('gives the same text and the same attribution, by phase number, whatever order the phases are asked in', () => {
    const hash = (line: string) => hashesOf({ f: lines(line) }).f;
    const expected = {
      merged: new Map([['.env.example', 'A=1\nB=2\nC=3\n']]),
      attribution: [
        [1, '.env.example', hash('A=1')],
        [2, '.env.example', hash('B=2')],
        [3, '.env.example', hash('C=3')],
      ],
    };
    for (const order of [
      [1, 2, 3],
      [3, 2, 1],
      [2, 3, 1],
    ]) {
      expect(mergeCollected(app.plan, collect(order))).toEqual(expected);
    }
  });

  it('labels a phase by number and name', () => {
    expect(phaseLabel({ number: 3, name: 'Auth' })).toBe('Phase 3 (Auth)');
  });
});
