import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomDag, type DagPhase } from '../schedule/random-dag';

/** A bench plan's shape: phases and their dependencies (every phase plans one file of its own). */
export interface BoundShape {
  name: string;
  phases: DagPhase[];
}

/** The seed of the random 30-phase DAG (fixed, so every run plans the same DAG). */
export const RANDOM_SEED = 30;

/** The demo shop's 14 phases and dependencies (packages/demo-shop/phases.json), each planning `src/p<n>.ts`. */
export function demoShape(repoRoot: string): BoundShape {
  const plan = JSON.parse(readFileSync(join(repoRoot, 'packages', 'demo-shop', 'phases.json'), 'utf8')) as { phases: DagPhase[] };
  return { name: 'demo', phases: plan.phases.map(({ number, name, dependencies }) => ({ number, name, dependencies: dependencies ?? [] })) };
}

/** A seeded random 30-phase DAG (the schedule bench's generator). */
export function randomShape(): BoundShape {
  return { name: 'dag-30', phases: randomDag(30, RANDOM_SEED) };
}

/** Phases on the longest dependency chain (all phases take the same time, so this is the critical path). */
export function criticalPathPhases(phases: DagPhase[]): number {
  const depth = new Map<number, number>();
  const of = (n: number): number => {
    const known = depth.get(n);
    if (known !== undefined) return known;
    const phase = phases.find((p) => p.number === n)!;
    const value = 1 + Math.max(0, ...phase.dependencies.map(of));
    depth.set(n, value);
    return value;
  };
  return Math.max(...phases.map((p) => of(p.number)));
}

/**
 * The makespan's lower bound with every answer taking `latencyMs` and at most `slots` calls in flight: the critical
 * path, or the phases spread over the slots, whichever is longer.
 */
export function boundMs(phases: DagPhase[], latencyMs: number, slots: number): number {
  return Math.max(criticalPathPhases(phases), Math.ceil(phases.length / slots)) * latencyMs;
}

/** The openai plan of a shape: every phase asks the loopback server (model `model`) for its one planned file. */
export function openaiPlanDocument(shape: BoundShape, baseURL: string, model: string, limit: number): object {
  return {
    name: shape.name,
    generator: { use: 'nx-phases:openai', options: { model, baseURL } },
    rateLimit: { maxConcurrentRequests: limit, minDelayBetweenMs: 100, requestsPerMinute: 50 },
    phases: shape.phases.map((phase) => ({ ...phase, domain: 'feature', features: [phase.name], plannedFiles: [`src/p${phase.number}.ts`] })),
  };
}
