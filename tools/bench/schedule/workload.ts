import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../../../packages/nx-phases/src/plan';
import { randomDag, type DagPhase } from './random-dag';
import { seededDurations } from './random';

/** One benchmark plan: its phases and the sleep each phase's command does. */
export interface Workload {
  name: string;
  phases: Array<DagPhase & { plannedFiles: string[]; features?: string[] }>;
  /** Phase number → milliseconds the phase command sleeps. */
  sleepMs: Map<number, number>;
  /** The plan's mergeable files (its `merge`), if any. */
  merge?: Record<string, string>;
}

/** The seeds of the random plans; fixed so every run of the benchmark plans the same DAGs and sleeps. */
export const RANDOM_PLANS = [
  { name: 'dag-20', count: 20, seed: 20 },
  { name: 'dag-50', count: 50, seed: 50 },
  { name: 'dag-100', count: 100, seed: 100 },
] as const;

const DEMO_SEED = 14;

/** The demo shop plan (its phases, dependencies, planned files and mergeable files), with seeded sleeps. */
export function demoWorkload(repoRoot: string, scale: number): Workload {
  const file = join(repoRoot, 'packages', 'demo-shop', 'phases.json');
  const plan = parsePlan(readFileSync(file, 'utf8'), file);
  const phases = plan.phases.map(({ number, name, dependencies, plannedFiles }) => ({ number, name, dependencies, plannedFiles }));
  return { name: 'demo', phases, sleepMs: seededDurations(phases.map((p) => p.number), DEMO_SEED, scale), ...(plan.merge ? { merge: plan.merge } : {}) };
}

/** A seeded random plan; every phase writes its own file. */
export function randomWorkload(name: string, count: number, seed: number, scale: number): Workload {
  const phases = randomDag(count, seed).map((phase) => ({ ...phase, plannedFiles: [`src/p${phase.number}.ts`] }));
  return { name, phases, sleepMs: seededDurations(phases.map((p) => p.number), seed * 7919, scale) };
}

/** The `phases.json` for a workload: every phase runs `commandFor(sleepMs)` through nx-phases:command. */
export function workloadPlanDocument(workload: Workload, commandFor: (sleepMs: number) => string): object {
  return {
    name: workload.name,
    ...(workload.merge ? { merge: workload.merge } : {}),
    phases: workload.phases.map((phase) => ({
      ...phase,
      domain: 'feature',
      generator: { use: 'nx-phases:command', options: { command: commandFor(workload.sleepMs.get(phase.number)!) } },
    })),
  };
}
