import type { PlanGraph } from './graph';

/**
 * Transitive ancestors of every node as one bitset row per node (a packed Uint32Array).
 * Row `n` has bit `a` set when node `n` transitively depends on node `a`. 5,000 nodes take about 3 MB.
 */
export class AncestorMatrix {
  private readonly words: number;
  private readonly bits: Uint32Array;

  constructor(readonly size: number) {
    this.words = Math.ceil(size / 32);
    this.bits = new Uint32Array(this.words * size);
  }

  /** Builds the matrix of a graph in one pass over its topological order. */
  static fromGraph(graph: PlanGraph): AncestorMatrix {
    const matrix = new AncestorMatrix(graph.order.length);
    graph.dependencies.forEach((dependencies, node) => {
      // In topological order a dependency's ancestors all sit before it, so only its leading words can be set.
      for (const dependency of dependencies) matrix.inheritFrom(node, dependency, (dependency >>> 5) + 1);
    });
    return matrix;
  }

  /** True when `node` transitively depends on `ancestor`. */
  has(node: number, ancestor: number): boolean {
    return (this.bits[node * this.words + (ancestor >>> 5)] & (1 << (ancestor & 31))) !== 0;
  }

  /** Adds the edge "`to` depends on `from`" and updates every row it affects; `from` must not depend on `to`. */
  addEdge(from: number, to: number): void {
    for (let node = 0; node < this.size; node++) {
      if ((node === to || this.has(node, to)) && !this.has(node, from)) this.inheritFrom(node, from, this.words);
    }
  }

  /** The ancestors of `node`, ascending by node index. */
  ancestors(node: number): number[] {
    const result: number[] = [];
    const start = node * this.words;
    for (let word = 0; word < this.words; word++) {
      let value = this.bits[start + word];
      while (value !== 0) {
        const lowest = value & -value;
        result.push(word * 32 + 31 - Math.clz32(lowest));
        value ^= lowest;
      }
    }
    return result;
  }

  /** Makes `node` depend on `ancestor` and on everything `ancestor` depends on (first `wordCount` words). */
  private inheritFrom(node: number, ancestor: number, wordCount: number): void {
    const target = node * this.words;
    const source = ancestor * this.words;
    for (let word = 0; word < wordCount; word++) this.bits[target + word] |= this.bits[source + word];
    this.bits[target + (ancestor >>> 5)] |= 1 << (ancestor & 31);
  }
}
