import { groupByLevel, reduceDependencies, type ImpliedEdge } from '../plan';
import type { AddedEdge, PhasePlan } from '../plan/types';
import type { DurationEstimate } from './durations';
import { criticalPath, makespanLowerBound, type CriticalPath } from './schedule';

/** One phase as the execution-plan view shows it. */
export interface PlannedPhase {
  number: number;
  name: string;
  dependencies: number[];
  /** Estimated milliseconds (measured, or the median of measured phases); absent without any measurement. */
  estimatedMs?: number;
}

/** A time-based view of the plan, present only when earlier runs left durations in the manifests. */
export interface TimeEstimate {
  criticalPath: CriticalPath;
  totalWorkMs: number;
  lowerBoundMs: number;
  /** Phases whose duration was measured; the others use the median. */
  measuredPhases: number;
}

/** Everything `phase-plan` prints or writes, as plain data (this is the `phase-plan.json` format). */
export interface ExecutionPlanReport {
  plan: string;
  planFile: string;
  phaseCount: number;
  /** The `--parallel` the lower bound is for (1 when the plan sets `"parallel": false`). */
  parallel: number;
  levels: Array<{ level: number; phases: PlannedPhase[] }>;
  addedEdges: AddedEdge[];
  /** Listed dependencies another dependency already implies (conflict fixes excepted): drawings leave them out. */
  impliedEdges: ImpliedEdge[];
  /** Longest chain by number of phases (`length` counts phases). */
  criticalPathByCount: CriticalPath;
  /** max(critical path, phases / parallel) in phase-durations, assuming every phase takes as long. */
  lowerBoundInPhases: number;
  byTime?: TimeEstimate;
}

/** Builds the execution-plan view of a conflict-resolved plan for `--parallel=<parallel>`. */
export function buildExecutionPlan(
  plan: PhasePlan,
  planFile: string,
  parallel: number,
  estimate: DurationEstimate | undefined,
): ExecutionPlanReport {
  const workers = plan.parallel ? parallel : 1;
  const byCount = criticalPath(plan, () => 1);
  return {
    plan: plan.name,
    planFile,
    phaseCount: plan.phases.length,
    parallel: workers,
    levels: groupByLevel(plan).map((phases, index) => ({
      level: index + 1,
      phases: phases.map((phase) => ({
        number: phase.number,
        name: phase.name,
        dependencies: phase.dependencies,
        ...(estimate ? { estimatedMs: estimate.ms.get(phase.number)! } : {}),
      })),
    })),
    addedEdges: plan.addedEdges,
    impliedEdges: impliedEdges(plan),
    criticalPathByCount: byCount,
    lowerBoundInPhases: makespanLowerBound(byCount.length, plan.phases.length, workers),
    ...(estimate ? { byTime: timeEstimate(plan, estimate, workers) } : {}),
  };
}

/** The plan's implied dependencies, except conflict fixes (always drawn, with their reason). */
function impliedEdges(plan: PhasePlan): ImpliedEdge[] {
  const fixes = new Set(plan.addedEdges.map((edge) => `${edge.from}->${edge.to}`));
  return reduceDependencies(plan).implied.filter((edge) => !fixes.has(`${edge.from}->${edge.to}`));
}

function timeEstimate(plan: PhasePlan, estimate: DurationEstimate, workers: number): TimeEstimate {
  const path = criticalPath(plan, (number) => estimate.ms.get(number)!);
  const totalWorkMs = [...estimate.ms.values()].reduce((sum, ms) => sum + ms, 0);
  return {
    criticalPath: path,
    totalWorkMs,
    lowerBoundMs: makespanLowerBound(path.length, totalWorkMs, workers),
    measuredPhases: estimate.measured,
  };
}
