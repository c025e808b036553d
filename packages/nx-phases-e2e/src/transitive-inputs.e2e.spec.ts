import { readFileSync } from 'node:fs';
import { commandGenerator } from './utils/phase-command';
import { editPlan, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * A phase hashes only its direct dependencies' records plus their snapshot digests (O(edges), not Nx's O(n²)
 * transitive hashing). This proves the digest still covers grandparents: 1 → 2 → 3, where 2 ignores 1's file
 * but 3 reads it from its snapshot. Changing only 1's output must re-run 3, although 2's output is unchanged.
 */
describe("a grandparent's changed output", () => {
  const scenario = createScenario('transitive-inputs');
  const { workspace } = scenario;
  const app = (...parts: string[]) => workspace.path('apps/chain', ...parts);
  const writer = (text: string) => commandGenerator(`mkdir -p src && printf '${text}' > src/one.txt`);
  const plan: PlanDocument = {
    name: 'chain',
    generator: commandGenerator('true'),
    phases: [
      { number: 1, name: 'One', plannedFiles: ['src/one.txt'], generator: writer('v1') },
      { number: 2, name: 'Two', dependencies: [1], plannedFiles: ['src/two.txt'], generator: commandGenerator("mkdir -p src && printf 'fixed' > src/two.txt") },
      { number: 3, name: 'Three', dependencies: [2], plannedFiles: ['src/three.txt'], generator: commandGenerator('mkdir -p src && cat src/one.txt > src/three.txt') },
    ],
  };

  beforeAll(() => {
    writePlan(workspace.root, 'apps/chain', plan);
    workspace.commitAll('chain plan');
    workspace.runPhases(['--parallel=3']);
  });

  it('re-runs the grandchild that reads it, even though the parent between them wrote the same bytes', () => {
    expect(readFileSync(app('src/three.txt'), 'utf8')).toBe('v1');
    editPlan(workspace.root, 'apps/chain', (doc) => {
      doc.phases[0].generator = writer('v2');
    });
    const run = workspace.runPhases(['--parallel=3']);
    withOutput(run, () => {
      expect(run.ran.sort()).toEqual(['chain-1-one', 'chain-2-two', 'chain-3-three']);
      expect(readFileSync(app('src/two.txt'), 'utf8')).toBe('fixed');
      expect(readFileSync(app('src/three.txt'), 'utf8')).toBe('v2');
    });
  });

  it('is all cache hits when nothing changed', () => {
    const run = workspace.runPhases(['--parallel=3']);
    withOutput(run, () => expect(run.ran).toEqual([]));
  });
});
