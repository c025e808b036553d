import { PlanError } from './errors';
import { checkPhaseGraph } from './plan-checks';
import type { Phase, PhasePlan } from './types';

/** The file name used in errors about plans that were built in memory rather than parsed. */
export const IN_MEMORY_PLAN = '(in-memory plan)';

/** A plan's dependency graph in topological order; positions index `order`. */
export interface PlanGraph {
  /** Phases in deterministic topological order (Kahn's algorithm, lowest number first among ready phases). */
  order: Phase[];
  /** Phase number → position in `order`. */
  position: Map<number, number>;
  /** For each position, the positions of its direct dependencies (de-duplicated). */
  dependencies: number[][];
}

const graphs = new WeakMap<PhasePlan, PlanGraph>();

/**
 * The plan's dependency graph, cached per plan object (plans are treated as immutable).
 * Throws a `PlanError` for duplicate numbers, unknown dependencies or cycles, never dropping a phase.
 */
export function planGraph(plan: PhasePlan): PlanGraph {
  let graph = graphs.get(plan);
  if (!graph) {
    graph = buildGraph(plan);
    graphs.set(plan, graph);
  }
  return graph;
}

/** Phase number → level, where roots are level 1 and every other phase is 1 + its deepest dependency's level. */
export function computeLevels(plan: PhasePlan): Map<number, number> {
  const { order, position, dependencies } = planGraph(plan);
  const levelAt = new Array<number>(order.length);
  for (let at = 0; at < order.length; at++) {
    levelAt[at] = 1 + dependencies[at].reduce((deepest, dep) => Math.max(deepest, levelAt[dep]), 0);
  }
  const levels = new Map<number, number>();
  for (const phase of [...plan.phases].sort(byNumber)) levels.set(phase.number, levelAt[position.get(phase.number)!]);
  return levels;
}

/** Phases grouped by level: index 0 holds level 1; each group is sorted by phase number. */
export function groupByLevel(plan: PhasePlan): Phase[][] {
  const levels = computeLevels(plan);
  const groups: Phase[][] = [];
  for (const phase of [...plan.phases].sort(byNumber)) {
    const level = levels.get(phase.number)!;
    (groups[level - 1] ??= []).push(phase);
  }
  return groups;
}

/** Phase numbers in deterministic topological order (Kahn's algorithm, lowest number first among ready phases). */
export function topologicalOrder(plan: PhasePlan): number[] {
  return planGraph(plan).order.map((phase) => phase.number);
}

/** Orders phases with Kahn's algorithm and a min-heap on phase numbers. */
function buildGraph(plan: PhasePlan): PlanGraph {
  const phaseByNumber = new Map(plan.phases.map((phase) => [phase.number, phase]));
  if (phaseByNumber.size !== plan.phases.length) rejectInvalidGraph(plan);
  const waitingOn = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const phase of plan.phases) {
    const unique = new Set(phase.dependencies);
    waitingOn.set(phase.number, unique.size);
    for (const dependency of unique) {
      if (!phaseByNumber.has(dependency) || dependency === phase.number) rejectInvalidGraph(plan);
      const list = dependents.get(dependency);
      if (list) list.push(phase.number);
      else dependents.set(dependency, [phase.number]);
    }
  }
  const ready = new MinHeap(plan.phases.filter((phase) => waitingOn.get(phase.number) === 0).map((p) => p.number));
  const order: Phase[] = [];
  while (ready.size > 0) {
    const number = ready.pop();
    order.push(phaseByNumber.get(number)!);
    for (const dependent of dependents.get(number) ?? []) {
      const remaining = waitingOn.get(dependent)! - 1;
      waitingOn.set(dependent, remaining);
      if (remaining === 0) ready.push(dependent);
    }
  }
  if (order.length !== plan.phases.length) rejectInvalidGraph(plan);
  const position = new Map(order.map((phase, at) => [phase.number, at]));
  const dependencies = order.map((phase) => [...new Set(phase.dependencies)].map((dep) => position.get(dep)!));
  return { order, position, dependencies };
}

/** Throws a `PlanError` explaining why the plan's phases cannot be ordered. */
function rejectInvalidGraph(plan: PhasePlan): never {
  throw new PlanError(checkPhaseGraph(plan.phases).map((finding) => ({ file: IN_MEMORY_PLAN, ...finding })));
}

/** Sorts phases by number. */
function byNumber(a: Phase, b: Phase): number {
  return a.number - b.number;
}

/** A binary min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  constructor(initial: number[]) {
    for (const item of initial) this.push(item);
  }

  get size(): number {
    return this.items.length;
  }

  push(item: number): void {
    const items = this.items;
    let at = items.push(item) - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (items[parent] <= item) break;
      items[at] = items[parent];
      at = parent;
    }
    items[at] = item;
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= items.length) break;
        const child = left + 1 < items.length && items[left + 1] < items[left] ? left + 1 : left;
        if (items[child] >= last) break;
        items[at] = items[child];
        at = child;
      }
      items[at] = last;
    }
    return top;
  }
}
