import { groupByLevel } from './graph';
import type { PhasePlan } from './types';

/**
 * The execution plan as text: one `Level N: [A, B] (2 parallel)` line per level ("(1 phase)" for a single
 * phase), a note when `parallel` is false, then the dependencies added by conflict resolution, if any.
 */
export function formatLevels(plan: PhasePlan): string {
  const lines = groupByLevel(plan).map((phases, index) => {
    const count = phases.length === 1 ? '1 phase' : plan.parallel ? `${phases.length} parallel` : `${phases.length} phases`;
    return `Level ${index + 1}: [${phases.map((phase) => phase.name).join(', ')}] (${count})`;
  });
  if (!plan.parallel) {
    lines.push('', 'parallel is false: phases run one at a time, in topological order.');
  }
  if (plan.addedEdges.length > 0) {
    lines.push('', `Dependencies added to resolve file conflicts (${plan.addedEdges.length}):`);
    lines.push(...plan.addedEdges.map((edge) => `  - ${edge.reason}`));
  }
  return lines.join('\n');
}
