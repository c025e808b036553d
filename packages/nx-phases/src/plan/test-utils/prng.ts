/** A seeded pseudo-random generator (mulberry32) returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max] drawn from `random`. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Up to `count` distinct items of `pool`, in pool order. */
export function sample<T>(random: () => number, pool: readonly T[], count: number): T[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, pool.length)) picked.add(randomInt(random, 0, pool.length - 1));
  return [...picked].sort((a, b) => a - b).map((index) => pool[index]);
}
