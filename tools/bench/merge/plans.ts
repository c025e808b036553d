import { computeLevels, parsePlan, resolveConflicts } from '../../../packages/nx-phases/src/plan';
import { randomDag } from '../schedule/random-dag';
import { listScheduleMakespan, nxPriority } from '../schedule/list-schedule';
import { seededDurations } from '../schedule/random';
import { demoWorkload, workloadPlanDocument, type Workload } from '../schedule/workload';

/** One benchmark plan in its two forms: the shared wiring files owned (no `merge`) and declared mergeable. */
export interface PlanPair {
  name: string;
  owned: Workload;
  merged: Workload;
}

/** What the plan core decides before anything runs, and a zero-overhead simulation of Nx's schedule. */
export interface PlanFigures {
  phases: number;
  /** Dependencies conflict resolution adds between concurrent phases that plan the same owned file. */
  conflictEdges: number;
  /** The longest dependency chain after conflict resolution, in phases (the number of levels). */
  criticalPathPhases: number;
  /** Σ of the phases' simulated generator latencies (ms). */
  totalSleepMs: number;
  /** Makespan of Nx's greedy order (most dependents first) on `parallel` workers with zero overhead (ms). */
  simulatedMakespanMs: number;
}

/** Seed of the 24-phase route plan's DAG and its sleeps (fixed, so every run benchmarks the same plan). */
export const ROUTES_SEED = 24;
/** The 24-phase plan's mergeable wiring files. */
export const ROUTES_MERGE = { 'package.json': 'json', 'src/routes.tsx': 'regions' };

/**
 * The demo plan (packages/demo-shop/phases.json) with the files it plans (10 phases extend src/routes.tsx, 6
 * package.json, 6 .env.example), once with those files owned and once with the demo's own `merge` declaration.
 */
export function demoPair(repoRoot: string, scale: number): PlanPair {
  const { merge, ...demo } = demoWorkload(repoRoot, scale);
  if (!merge) throw new Error('packages/demo-shop/phases.json declares no mergeable files; the merge benchmark compares them with owned ones.');
  return { name: 'demo', owned: { ...demo, name: 'demo-owned' }, merged: { ...demo, name: 'demo-merged', merge } };
}

/**
 * A 24-phase plan (the schedule benchmark's seeded random DAG shape: Setup, 22 features, Polish) in which every
 * feature phase writes its page, registers its route in src/routes.tsx and adds an npm dependency to package.json
 * (the feature `json:dependencies.lib-<n>=…` makes the e2e phase command add it). Setup creates both files.
 */
export function routesPair(scale: number): PlanPair {
  const dag = randomDag(24, ROUTES_SEED);
  const last = dag.length;
  const phases = dag.map((phase) => {
    if (phase.number === 1) return { ...phase, features: ['Shell'], plannedFiles: ['package.json', 'src/routes.tsx', 'src/App.tsx'] };
    if (phase.number === last) return { ...phase, features: ['Styles'], plannedFiles: ['src/styles.css'] };
    const page = `src/pages/page-${phase.number}.tsx`;
    return { ...phase, features: [`Page ${phase.number}`, `json:dependencies.lib-${phase.number}=^1.0.0`], plannedFiles: [page, 'src/routes.tsx', 'package.json'] };
  });
  const sleepMs = seededDurations(phases.map((p) => p.number), ROUTES_SEED * 7919, scale);
  // No "-<digits>" in plan names: the e2e output parser reads that as a phase project.
  return {
    name: 'routes24',
    owned: { name: 'routes24-owned', phases, sleepMs },
    merged: { name: 'routes24-merged', phases, sleepMs, merge: ROUTES_MERGE },
  };
}

/** Conflict edges, critical path and simulated makespan of a workload's plan, from the plan core alone. */
export function planFigures(workload: Workload, parallel: number): PlanFigures {
  const document = workloadPlanDocument(workload, () => 'true');
  const plan = resolveConflicts(parsePlan(JSON.stringify(document), `${workload.name}/phases.json`));
  const sleepOf = (number: number) => workload.sleepMs.get(number) ?? 0;
  const simPhases = plan.phases.map((phase) => ({ number: phase.number, dependencies: phase.dependencies, durationMs: sleepOf(phase.number) }));
  return {
    phases: plan.phases.length,
    conflictEdges: plan.addedEdges.length,
    criticalPathPhases: Math.max(...computeLevels(plan).values()),
    totalSleepMs: simPhases.reduce((sum, phase) => sum + phase.durationMs, 0),
    simulatedMakespanMs: listScheduleMakespan(simPhases, parallel, nxPriority(simPhases)),
  };
}
