import { closestName } from './did-you-mean';
import { mulberry32, randomInt } from './test-utils/prng';

/** Levenshtein distance by the textbook recursion (memoised): the reference for "within two edits". */
function referenceDistance(a: string, b: string): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    if (!memo.has(key)) {
      memo.set(key, Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    return memo.get(key)!;
  };
  return d(a.length, b.length);
}

describe('closestName (the "did you mean" of every unknown name)', () => {
  it.each([
    ['modle', ['model', 'baseURL'], 'model'],
    ['baseUrl', ['model', 'baseURL'], 'baseURL'],
    ['MODEL', ['model'], 'model'],
    ['ab', ['ab'], 'ab'],
    ['sandbx', ['command', 'timeoutMs', 'sandbox'], 'sandbox'],
  ])('suggests the allowed spelling for %j: a typo, another case, the name itself', (name, allowed, expected) => {
    expect(closestName(name, allowed)).toBe(expected);
  });

  it('suggests a name exactly two edits away, and none at three', () => {
    expect(closestName('mdel', ['model'])).toBe('model');
    expect(closestName('mdl', ['model'])).toBe('model');
    expect(closestName('xyz', ['abc'])).toBeUndefined();
    expect(closestName('zzzz', ['model'])).toBeUndefined();
    expect(closestName('abcdef', ['abcxyz'])).toBeUndefined();
  });

  it('treats a prefix of three letters or more, either way round, as one edit', () => {
    expect(closestName('tim', ['timeoutMs'])).toBe('timeoutMs');
    expect(closestName('Timeout', ['timeoutMs'])).toBe('timeoutMs');
    expect(closestName('modelName', ['model'])).toBe('model');
    expect(closestName('ti', ['timeoutMs'])).toBeUndefined();
    expect(closestName('outMs', ['timeoutMs'])).toBeUndefined();
    expect(closestName('xyzmodel', ['model'])).toBeUndefined();
  });

  it('keeps the nearest candidate, and the first listed of equally near ones', () => {
    expect(closestName('modek', ['mods', 'model'])).toBe('model');
    expect(closestName('modl', ['modal', 'model'])).toBe('modal');
    expect(closestName('cat', ['bat', 'hat'])).toBe('bat');
    expect(closestName('timeo', ['tme', 'timeoutMs'])).toBe('timeoutMs');
  });

  it('suggests nothing for an empty list or an empty name far from every candidate', () => {
    expect(closestName('model', [])).toBeUndefined();
    expect(closestName('', ['model'])).toBeUndefined();
    expect(closestName('', ['ab'])).toBe('ab');
  });

  it('suggests a candidate exactly when it is within two edits or a prefix (1,500 random pairs)', () => {
    const random = mulberry32(11);
    const word = () => Array.from({ length: randomInt(random, 0, 6) }, () => 'abcd'[randomInt(random, 0, 3)]).join('');
    for (let run = 0; run < 1500; run++) {
      const [name, candidate] = [word(), word()];
      const prefix = name.length >= 3 && (candidate.startsWith(name) || name.startsWith(candidate));
      const expected = prefix || referenceDistance(name, candidate) <= 2 ? candidate : undefined;
      expect({ name, candidate, suggestion: closestName(name, [candidate]) }).toEqual({ name, candidate, suggestion: expected });
    }
  });
});
