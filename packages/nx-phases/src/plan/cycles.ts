/**
 * Finds dependency cycles: one shortest cycle per strongly connected component, each written as
 * phase numbers starting and ending at the component's lowest number (`[3, 5, 4, 3]` reads
 * "3 depends on 5, 5 on 4, 4 on 3"). `dependenciesOf` must only return known numbers other than `n`.
 */
export function findDependencyCycles(numbers: number[], dependenciesOf: (n: number) => number[]): number[][] {
  const blocked = phasesKahnCannotOrder(numbers, dependenciesOf);
  if (blocked.length === 0) return [];
  return stronglyConnectedComponents(blocked, dependenciesOf)
    .filter((component) => component.length > 1)
    .map((component) => shortestCycle(new Set(component), dependenciesOf))
    .sort((a, b) => a[0] - b[0]);
}

/** The phases left over by Kahn's algorithm: those on a cycle or depending on one (empty for a DAG). */
function phasesKahnCannotOrder(numbers: number[], dependenciesOf: (n: number) => number[]): number[] {
  const waitingOn = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const n of numbers) {
    const dependencies = dependenciesOf(n);
    waitingOn.set(n, dependencies.length);
    for (const dependency of dependencies) {
      const list = dependents.get(dependency);
      if (list) list.push(n);
      else dependents.set(dependency, [n]);
    }
  }
  const ready = numbers.filter((n) => waitingOn.get(n) === 0);
  for (let head = 0; head < ready.length; head++) {
    for (const dependent of dependents.get(ready[head]) ?? []) {
      const remaining = waitingOn.get(dependent)! - 1;
      waitingOn.set(dependent, remaining);
      if (remaining === 0) ready.push(dependent);
    }
  }
  return numbers.filter((n) => waitingOn.get(n)! > 0);
}

/** Tarjan's algorithm, iterative so that long dependency chains cannot overflow the stack. */
function stronglyConnectedComponents(numbers: number[], dependenciesOf: (n: number) => number[]): number[][] {
  const index = new Map<number, number>();
  const lowLink = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const root of numbers) {
    if (index.has(root)) continue;
    const work: Array<{ node: number; edges: number[]; next: number }> = [];
    const visit = (node: number) => {
      index.set(node, counter);
      lowLink.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: dependenciesOf(node), next: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.edges.length) {
        const target = frame.edges[frame.next++];
        if (!index.has(target)) visit(target);
        else if (onStack.has(target)) lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.node, Math.min(lowLink.get(parent.node)!, lowLink.get(frame.node)!));
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** Breadth-first search from the component's lowest number back to itself, trying lower numbers first. */
function shortestCycle(component: Set<number>, dependenciesOf: (n: number) => number[]): number[] {
  const start = Math.min(...component);
  const cameFrom = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const next of [...dependenciesOf(node)].sort((a, b) => a - b)) {
      if (!component.has(next)) continue;
      if (next === start) return [...pathTo(node, start, cameFrom), start];
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      queue.push(next);
    }
  }
  throw new Error(`Internal error: no cycle through phase ${start} in its component.`);
}

/** Rebuilds the BFS path from `start` to `node`. */
function pathTo(node: number, start: number, cameFrom: Map<number, number>): number[] {
  const path = [node];
  while (path[0] !== start) path.unshift(cameFrom.get(path[0])!);
  return path;
}
