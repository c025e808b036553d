import { AncestorMatrix } from './ancestor-matrix';
import type { PlanGraph } from './graph';
import { mulberry32, randomInt } from './test-utils/prng';

/** A graph of `size` nodes in topological order: each node depends on some earlier ones. */
function randomGraph(random: () => number, size: number): number[][] {
  return Array.from({ length: size }, (_, node) => {
    const dependencies = new Set<number>();
    for (let k = randomInt(random, 0, Math.min(node, 3)); k > 0; k--) dependencies.add(randomInt(random, 0, node - 1));
    return [...dependencies];
  });
}

/** Transitive ancestors of every node by plain depth-first search: the reference. */
function naiveAncestors(dependencies: number[][]): number[][] {
  return dependencies.map((_, node) => {
    const seen = new Set<number>();
    const stack = [...dependencies[node]];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...dependencies[next]);
    }
    return [...seen].sort((a, b) => a - b);
  });
}

function matrixOf(dependencies: number[][]): AncestorMatrix {
  const graph: PlanGraph = { order: new Array(dependencies.length), position: new Map(), dependencies };
  return AncestorMatrix.fromGraph(graph);
}

/** Every node's ancestors as the matrix answers them, by `ancestors` and by `has` alike. */
function answers(matrix: AncestorMatrix, size: number): number[][] {
  return Array.from({ length: size }, (_, node) => {
    const listed = matrix.ancestors(node);
    const byHas = Array.from({ length: size }, (__, other) => other).filter((other) => matrix.has(node, other));
    expect(byHas).toEqual(listed);
    return listed;
  });
}

describe('AncestorMatrix', () => {
  it.each([1, 2, 31, 32, 33, 63, 64, 65, 97])('gives every node its transitive ancestors in a graph of %i nodes (word boundaries included)', (size) => {
    const random = mulberry32(size);
    for (let run = 0; run < 5; run++) {
      const dependencies = randomGraph(random, size);
      expect(answers(matrixOf(dependencies), size)).toEqual(naiveAncestors(dependencies));
    }
  });

  it('reaches across 32-node words: a chain of 70 nodes, each depending on the one before', () => {
    const chain = Array.from({ length: 70 }, (_, node) => (node === 0 ? [] : [node - 1]));
    const matrix = matrixOf(chain);
    expect(matrix.ancestors(69)).toEqual(Array.from({ length: 69 }, (_, node) => node));
    expect(matrix.ancestors(33)).toEqual(Array.from({ length: 33 }, (_, node) => node));
    expect(matrix.ancestors(0)).toEqual([]);
    expect(matrix.has(69, 0) && matrix.has(64, 31) && matrix.has(32, 31)).toBe(true);
    expect(matrix.has(31, 32) || matrix.has(0, 0) || matrix.has(40, 40)).toBe(false);
  });

  it('adds an edge and updates exactly the rows it reaches (600 random edges, one at a time)', () => {
    const random = mulberry32(3);
    for (const size of [5, 33, 70]) {
      const dependencies = randomGraph(random, size);
      const matrix = matrixOf(dependencies);
      for (let edge = 0; edge < 200; edge++) {
        const [from, to] = [randomInt(random, 0, size - 1), randomInt(random, 0, size - 1)];
        // "to depends on from" may not close a cycle: from must not depend on to.
        if (from === to || naiveAncestors(dependencies)[from].includes(to)) continue;
        matrix.addEdge(from, to);
        dependencies[to] = [...new Set([...dependencies[to], from])];
        expect(answers(matrix, size)).toEqual(naiveAncestors(dependencies));
      }
    }
  });

  it('has no ancestors for a graph without edges', () => {
    const matrix = matrixOf([[], [], []]);
    expect([0, 1, 2].map((node) => matrix.ancestors(node))).toEqual([[], [], []]);
    expect(matrix.size).toBe(3);
  });
});
