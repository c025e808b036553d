import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { loadPlan } from './load-plan';

describe('loadPlan', () => {
  let ws: TempWorkspace;
  const storeDir = () => join(ws.root, '.nx', 'workspace-data', 'nx-phases', 'resolved-plans');
  const plan = (features: string[]) => ({
    name: 'app',
    phases: [
      { number: 1, name: 'A', dependencies: [], plannedFiles: ['src/x.ts'], features },
      { number: 2, name: 'B', dependencies: [], plannedFiles: ['src/x.ts'] },
    ],
  });
  beforeEach(() => (ws = new TempWorkspace()));
  afterEach(() => ws.dispose());

  it('stores the resolved plan once and serves the same result to later phase processes', () => {
    ws.write('apps/app/phases.json', plan(['One']));
    const first = loadPlan(ws.root, 'apps/app/phases.json');
    expect(readdirSync(storeDir())).toHaveLength(1);
    const second = loadPlan(ws.root, 'apps/app/phases.json');
    expect(second).toEqual(first);
    expect(second.plan.addedEdges).toEqual([expect.objectContaining({ from: 1, to: 2, file: 'src/x.ts' })]);
  });

  it('replaces the stored plan when the file changes', () => {
    ws.write('apps/app/phases.json', plan(['One']));
    loadPlan(ws.root, 'apps/app/phases.json');
    ws.write('apps/app/phases.json', plan(['Two']));
    expect(loadPlan(ws.root, 'apps/app/phases.json').plan.phases[0].features).toEqual(['Two']);
    expect(readdirSync(storeDir())).toHaveLength(1);
  });

  it('hands every phase of a batch worker the same plan object while the file is unchanged', () => {
    ws.write('apps/app/phases.json', plan(['One']));
    const first = loadPlan(ws.root, 'apps/app/phases.json');
    expect(loadPlan(ws.root, 'apps/app/phases.json')).toBe(first);
    ws.write('apps/app/phases.json', plan(['Two']));
    expect(loadPlan(ws.root, 'apps/app/phases.json')).not.toBe(first);
  });
});
