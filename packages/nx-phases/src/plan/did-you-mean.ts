/**
 * The allowed name closest to `name`, if any: at most two typing edits (a letter added, dropped or changed, or two
 * neighbours swapped) that change at most half the letters of the longer of the two (so a one- or two-letter name is
 * not "near" any other short name), or a case-insensitive prefix of three letters or more.
 */
export function closestName(name: string, allowed: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const other = candidate.toLowerCase();
    const isPrefix = lower.length >= 3 && (other.startsWith(lower) || lower.startsWith(other));
    const distance = isPrefix ? 1 : typingDistance(lower, other);
    const near = distance <= 2 && distance * 2 <= Math.max(lower.length, other.length);
    if (near && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Edit distance between two short strings, counting a swap of two neighbouring letters as one edit (optimal string alignment). */
function typingDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
    }
    [beforePrevious, previous] = [previous, current];
  }
  return previous[b.length];
}
