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

/**
 * The command plan of a shape: every phase runs `node agent.js <baseURL>` (tools/bench/llm-bound/agent.js), which asks
 * the loopback server once and writes the phase's one planned file: a command phase wrapping an LLM agent.
 */
export function commandPlanDocument(shape: BoundShape, baseURL: string, agentScript: string): object {
  return {
    name: shape.name,
    generator: { use: 'nx-phases:command', options: { command: `node ${JSON.stringify(agentScript)} ${baseURL}` } },
    phases: shape.phases.map((phase) => ({ ...phase, domain: 'feature', features: [phase.name], plannedFiles: [`src/p${phase.number}.ts`] })),
  };
}

/**
 * The makespan of a zero-overhead list schedule with every answer taking `latencyMs` on `slots` slots, ready phases
 * longest remaining path first (the batch worker's order): what a run without any start-up or hop cost would take.
 */
export function listScheduleMs(phases: DagPhase[], latencyMs: number, slots: number): number {
  const remaining = new Map<number, number>();
  const dependents = new Map<number, number[]>(phases.map((p) => [p.number, []]));
  for (const phase of phases) for (const dep of phase.dependencies) dependents.get(dep)!.push(phase.number);
  const pathFrom = (n: number): number => {
    if (!remaining.has(n)) remaining.set(n, 1 + Math.max(0, ...dependents.get(n)!.map(pathFrom)));
    return remaining.get(n)!;
  };
  const waiting = new Map(phases.map((p) => [p.number, p.dependencies.length]));
  let ready = phases.filter((p) => p.dependencies.length === 0).map((p) => p.number);
  let steps = 0;
  while (ready.length > 0) {
    const running = ready.sort((a, b) => pathFrom(b) - pathFrom(a) || a - b).slice(0, slots);
    ready = ready.filter((n) => !running.includes(n));
    for (const done of running) {
      for (const next of dependents.get(done)!) {
        waiting.set(next, waiting.get(next)! - 1);
        if (waiting.get(next) === 0) ready.push(next);
      }
    }
    steps++;
  }
  return steps * latencyMs;
}
