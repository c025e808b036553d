import { closestName } from './did-you-mean';
import { mulberry32, randomInt } from './test-utils/prng';

/** Optimal string alignment distance (Levenshtein with a swap of neighbours as one edit) by the textbook recursion (memoised). */
function referenceDistance(a: string, b: string): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    if (!memo.has(key)) {
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? d(i - 2, j - 2) + 1 : Infinity;
      memo.set(key, Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1), swap));
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
    expect(closestName('', ['ab'])).toBeUndefined();
  });

  it('suggests nothing for a one- or two-letter name that shares too little with a short candidate', () => {
    expect(closestName('x', ['id', 'use', 'name'])).toBeUndefined();
    expect(closestName('ab', ['cd', 'xyz'])).toBeUndefined();
    expect(closestName('x', ['y'])).toBeUndefined();
    // One edit in two letters, or a missing letter of three, is still a typo.
    expect(closestName('ie', ['id', 'use'])).toBe('id');
    expect(closestName('i', ['id'])).toBe('id');
    expect(closestName('ue', ['use'])).toBe('use');
    expect(closestName('X', ['x'])).toBe('x');
  });

  it('counts two swapped neighbours as one edit', () => {
    expect(closestName('tow', ['one', 'two'])).toBe('two');
    expect(closestName('modle', ['model'])).toBe('model');
    expect(closestName('ba', ['ab'])).toBe('ab');
    expect(closestName('tmieotuMs', ['timeoutMs'])).toBe('timeoutMs');
    expect(closestName('tmieotuMsx', ['timeoutMs'])).toBeUndefined();
  });

  it('suggests a candidate exactly when it is within two edits changing at most half the letters, or a prefix (1,500 random pairs)', () => {
    const random = mulberry32(11);
    const word = () => Array.from({ length: randomInt(random, 0, 6) }, () => 'abcd'[randomInt(random, 0, 3)]).join('');
    for (let run = 0; run < 1500; run++) {
      const [name, candidate] = [word(), word()];
      const prefix = name.length >= 3 && (candidate.startsWith(name) || name.startsWith(candidate));
      const distance = referenceDistance(name, candidate);
      const near = distance <= 2 && distance * 2 <= Math.max(name.length, candidate.length);
      const expected = prefix || near ? candidate : undefined;
      expect({ name, candidate, suggestion: closestName(name, [candidate]) }).toEqual({ name, candidate, suggestion: expected });
    }
  });
});
