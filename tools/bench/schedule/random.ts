/** A seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max], drawn from `random`. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Phase number → sleep in ms, uniform in [1 s, 4 s] times `scale`, rounded to 10 ms. */
export function seededDurations(numbers: number[], seed: number, scale: number): Map<number, number> {
  const random = seededRandom(seed);
  return new Map(numbers.map((number) => [number, Math.round((1000 + random() * 3000) * scale / 10) * 10]));
}
