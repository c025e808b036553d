import { normalizePluginOptions } from './options';
import { planNodesInput } from './plan-nodes';
import { planToolTargets } from './plan-tool-targets';
import { parsePlanText } from '../runtime/load-plan';

const targetsFor = (phases: object[], existingProject?: string) => {
  const loaded = parsePlanText(JSON.stringify({ name: 'shop', phases }), 'apps/shop/phases.json');
  return planToolTargets(planNodesInput(loaded, normalizePluginOptions({}), existingProject, '/virtual'));
};

describe('planToolTargets', () => {
  const withSetup = [{ number: 1, name: 'Setup', domain: 'setup' }, { number: 2, name: 'Search', dependencies: [1] }];

  it('adds an uncached phase-plan target reading the plan', () => {
    expect(targetsFor(withSetup)['phase-plan']).toMatchObject({
      executor: 'nx-phases:phase-plan',
      cache: false,
      options: { plan: 'apps/shop/phases.json', parallel: 3, format: 'text' },
    });
  });

  it('adds a cached verify target after every phase that type-checks with the tsconfig Setup writes', () => {
    expect(targetsFor(withSetup).verify).toMatchObject({
      executor: 'nx-phases:verify',
      cache: true,
      dependsOn: ['phase'],
      inputs: [
        { dependentTasksOutputFiles: '**/*', transitive: true },
        '{projectRoot}/**/*.{ts,tsx}',
        { runtime: `node -p "require('typescript/package.json').version"` },
      ],
      outputs: [],
      options: { plan: 'apps/shop/phases.json', tsconfig: 'apps/shop/tsconfig.json' },
    });
  });

  it('adds no verify target when no phase writes tsconfig.json', () => {
    expect(Object.keys(targetsFor([{ number: 1, name: 'Docs', plannedFiles: ['README.md'] }]))).toEqual(['phase-plan']);
  });

  it('names the existing project in help when the plan merges into a project.json', () => {
    expect(targetsFor(withSetup, 'storefront').verify.metadata?.help?.command).toBe('npx nx run storefront:verify');
  });
});
