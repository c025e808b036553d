import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../runtime/atomic-commit';
import { baselineOf, speedUpAgainst, validBaselines, type BaselineStore } from './baseline';
import type { PlanRunReport } from './run-report';

/** Workspace-relative path of the sequential baselines the run report measures speed-ups against. */
export const BASELINES_FILE = '.nx/nx-phases/baselines.json';

/** The stored baselines; a missing, unreadable or malformed file counts as none (entry by entry). */
export function readBaselines(workspaceRoot: string): BaselineStore {
  const path = join(workspaceRoot, BASELINES_FILE);
  try {
    return existsSync(path) ? validBaselines(JSON.parse(readFileSync(path, 'utf8'))) : {};
  } catch {
    return {};
  }
}

/**
 * Adds each plan's measured speed-up (against the stored baseline of its plan file) to the reports, and stores
 * a new baseline for every plan this run measured sequentially. Returns the reports with `speedUp` set.
 */
export function applyBaselines(workspaceRoot: string, plans: PlanRunReport[], now: Date): PlanRunReport[] {
  const store = readBaselines(workspaceRoot);
  const withSpeedUp = plans.map((plan) => {
    const speedUp = speedUpAgainst(plan, store[plan.planFile]);
    return speedUp ? { ...plan, speedUp } : plan;
  });
  let changed = false;
  for (const plan of plans) {
    const baseline = baselineOf(plan, now);
    if (baseline) [store[plan.planFile], changed] = [baseline, true];
  }
  if (changed) writeFileAtomically(join(workspaceRoot, BASELINES_FILE), `${JSON.stringify(store, null, 2)}\n`);
  return withSpeedUp;
}
