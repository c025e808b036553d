import type { Task, TaskGraph } from '@nx/devkit';
import { aggregateTaskInRun } from './executor';

const task = (project: string, target: string, projectRoot: string): Task =>
  ({ id: `${project}:${target}`, target: { project, target }, projectRoot, overrides: {}, outputs: [] }) as unknown as Task;
const graph = (...tasks: Task[]): TaskGraph => ({ roots: [], tasks: Object.fromEntries(tasks.map((t) => [t.id, t])), dependencies: {} }) as unknown as TaskGraph;

describe('aggregateTaskInRun (a phase leaves its conflict warning to the aggregate task when that runs too)', () => {
  const phase = task('shop-2-auth', 'phase', 'apps/shop/.phases/2');

  it('finds the plan project\'s task of the same target at the plan\'s folder', () => {
    expect(aggregateTaskInRun({ targetName: 'phase', taskGraph: graph(phase, task('shop', 'phase', 'apps/shop')) }, 'apps/shop/phases.json')).toBe(true);
    expect(aggregateTaskInRun({ targetName: 'phase', taskGraph: graph(task('root-1', 'phase', '.phases/1'), task('root', 'phase', '.')) }, 'phases.json')).toBe(true);
  });

  it('is false for a subset of phases, another plan\'s aggregate, another target, or no task graph', () => {
    expect(aggregateTaskInRun({ targetName: 'phase', taskGraph: graph(phase) }, 'apps/shop/phases.json')).toBe(false);
    expect(aggregateTaskInRun({ targetName: 'phase', taskGraph: graph(phase, task('other', 'phase', 'apps/other')) }, 'apps/shop/phases.json')).toBe(false);
    expect(aggregateTaskInRun({ targetName: 'phase', taskGraph: graph(phase, task('shop', 'verify', 'apps/shop')) }, 'apps/shop/phases.json')).toBe(false);
    expect(aggregateTaskInRun({ targetName: 'phase', taskGraph: undefined }, 'apps/shop/phases.json')).toBe(false);
  });
});
