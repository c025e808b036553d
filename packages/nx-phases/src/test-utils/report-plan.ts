import { parsePlan, resolveConflicts } from '../plan';
import type { PhasePlan } from '../plan/types';

/** A conflict-resolved plan from `[number, name, dependencies, plannedFiles?]` rows, for report specs. */
export function testPlan(rows: Array<[number, string, number[], string[]?]>, extra: Record<string, unknown> = {}): PhasePlan {
  const phases = rows.map(([number, name, dependencies, plannedFiles]) => ({
    number,
    name,
    dependencies,
    plannedFiles: plannedFiles ?? [`src/p${number}.ts`],
  }));
  return resolveConflicts(parsePlan(JSON.stringify({ name: 'shop', phases, ...extra }), 'apps/shop/phases.json'));
}
