import { blockedPhases, runGraphTasks, type RunGraphTask } from './run-dependents';

const phase = (id: string, number: number, dependencies: string[], plan = 'apps/shop/phases.json'): RunGraphTask => ({
  id, project: id.split(':')[0], dependencies, phase: { plan, number },
});

describe('blockedPhases', () => {
  // 1 ← 2 ← 4, 1 ← 3, 5 alone; the aggregate `shop:phase` depends on all; 9 (another plan) on 2; 6 on the aggregate.
  const tasks: RunGraphTask[] = [
    phase('s1:phase', 1, []),
    phase('s2:phase', 2, ['s1:phase']),
    phase('s3:phase', 3, ['s1:phase']),
    phase('s4:phase', 4, ['s2:phase']),
    phase('s5:phase', 5, []),
    { id: 'shop:phase', project: 'shop', dependencies: ['s1:phase', 's2:phase', 's3:phase', 's4:phase', 's5:phase'] },
    phase('s6:phase', 6, ['shop:phase']),
    phase('o9:phase', 9, ['s2:phase'], 'apps/other/phases.json'),
  ];

  it('lists the plan\'s phase tasks that depend on the failed one, directly, transitively or through other tasks', () => {
    expect(blockedPhases(tasks, 's1:phase', 'apps/shop/phases.json')).toEqual([
      { number: 2, project: 's2' },
      { number: 3, project: 's3' },
      { number: 4, project: 's4' },
      { number: 6, project: 's6' },
    ]);
    expect(blockedPhases(tasks, 's3:phase', 'apps/shop/phases.json')).toEqual([{ number: 6, project: 's6' }]);
    expect(blockedPhases(tasks, 's4:phase', 'apps/shop/phases.json')).toEqual([{ number: 6, project: 's6' }]);
    expect(blockedPhases(tasks, 'o9:phase', 'apps/other/phases.json')).toEqual([]);
  });

  it('reads phase tasks from the target options Nx holds', () => {
    const graph = {
      tasks: { 'a:phase': { id: 'a:phase', target: { project: 'a', target: 'phase' } }, 'shop:phase': { id: 'shop:phase', target: { project: 'shop', target: 'phase' } } },
      dependencies: { 'shop:phase': ['a:phase'] },
    };
    const options: Record<string, Record<string, unknown>> = { a: { plan: 'apps/shop/phases.json', phase: 1 }, shop: { plan: 'apps/shop/phases.json' } };
    expect(runGraphTasks(graph, (project) => options[project])).toEqual([
      { id: 'a:phase', project: 'a', dependencies: [], phase: { plan: 'apps/shop/phases.json', number: 1 } },
      { id: 'shop:phase', project: 'shop', dependencies: ['a:phase'] },
    ]);
  });
});
