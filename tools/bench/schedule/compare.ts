import { groupByLevel, parsePlan, resolveConflicts } from '../../../packages/nx-phases/src/plan';
import { criticalPath, makespanLowerBound } from '../../../packages/nx-phases/src/report/schedule';
import type { PlanRunReport } from '../../../packages/nx-phases/src/report/run-report';
import { levelBarrierMakespan } from './level-barrier';
import { criticalPathPriority, listScheduleMakespan, nxPriority } from './list-schedule';

/** One plan's measurements and the schedules they are compared with (milliseconds). */
export interface Comparison {
  plan: string;
  phases: number;
  levels: number;
  widestLevel: number;
  /** Sum of the phase durations measured in the --parallel=k run: the sequential schedule of that work. */
  sequentialMs: number;
  criticalPathMs: number;
  lowerBoundMs: number;
  levelBarrierMs: number;
  /** Zero-overhead simulation of Nx's greedy order (most direct dependents first) on these durations. */
  nxGreedyMs: number;
  /** Zero-overhead simulation of critical-path-first greedy order on these durations. */
  criticalPathGreedyMs: number;
  makespanP1Ms: number;
  makespanPkMs: number;
  parallel: number;
}

/**
 * Compares a measured --parallel=k run with (a) the lower bound max(critical path, total/k), (b) the seed's
 * level-barrier schedule and (c) sequential, all from the per-phase durations measured in that run.
 */
export function compareRuns(planText: string, sequentialRun: PlanRunReport, parallelRun: PlanRunReport): Comparison {
  const plan = resolveConflicts(parsePlan(planText, `${parallelRun.plan}/phases.json`));
  const durations = new Map(parallelRun.phases.map((phase) => [phase.number, phase.durationMs]));
  const durationOf = (number: number) => durations.get(number) ?? 0;
  const levels = groupByLevel(plan).map((level) => level.map((phase) => phase.number));
  const sequentialMs = [...durations.values()].reduce((sum, ms) => sum + ms, 0);
  const path = criticalPath(plan, durationOf);
  const k = parallelRun.parallel;
  const simPhases = plan.phases.map((phase) => ({ number: phase.number, dependencies: phase.dependencies, durationMs: durationOf(phase.number) }));
  return {
    plan: plan.name,
    phases: plan.phases.length,
    levels: levels.length,
    widestLevel: Math.max(...levels.map((level) => level.length)),
    sequentialMs,
    criticalPathMs: path.length,
    lowerBoundMs: makespanLowerBound(path.length, sequentialMs, k),
    levelBarrierMs: levelBarrierMakespan(levels, durationOf, k),
    nxGreedyMs: listScheduleMakespan(simPhases, k, nxPriority(simPhases)),
    criticalPathGreedyMs: listScheduleMakespan(simPhases, k, criticalPathPriority(simPhases)),
    makespanP1Ms: sequentialRun.makespanMs,
    makespanPkMs: parallelRun.makespanMs,
    parallel: k,
  };
}
