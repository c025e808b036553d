import { validManifest } from '../test-utils/manifest';
import { isCheckList, isPhaseCost, isUsage, isWaitList, manifestProblems, recordedPathIssue } from './manifest-checks';

/** A manifest as read from disk (or a shared cache): every field at its boundary value that must still be accepted. */
const edge = () => ({
  ...validManifest({ phase: { number: 1, name: 'A' } }),
  durationMs: 0,
  fingerprint: 'fp',
  files: { 'src/a.ts': 'a'.repeat(64), 'bin/run.sh': 'f'.repeat(64) },
  executable: ['bin/run.sh'],
  waits: [
    { kind: 'rate-limit', fromMs: 0, toMs: 0 },
    { kind: 'retry', fromMs: 5, toMs: 5 },
  ],
  contributions: { 'package.json': '0123456789abcdef'.repeat(4) },
});

describe('manifestProblems: what a hostile or hand-edited manifest may not hold', () => {
  it('accepts every field at its boundary: zero durations, a wait of no length, a retry wait, executables that are files', () => {
    expect(manifestProblems(edge())).toEqual([]);
  });

  it.each([
    ['a negative duration', { durationMs: -1 }, '"durationMs" must be a non-negative number, got -1'],
    ['a duration that is text', { durationMs: '5' }, '"durationMs" must be a non-negative number, got "5"'],
    ['phase number 0', { phase: { number: 0, name: 'A' } }, '"phase" must be an object { number, name } with a positive whole number, got {"number":0,"name":"A"}'],
    ['a fractional phase number', { phase: { number: 1.5, name: 'A' } }, '"phase" must be an object { number, name } with a positive whole number, got {"number":1.5,"name":"A"}'],
    ['a phase without a name', { phase: { number: 1 } }, '"phase" must be an object { number, name } with a positive whole number, got {"number":1}'],
    ['a numeric fingerprint', { fingerprint: 7 }, '"fingerprint" must be a string when present, got 7'],
    ['a generator without "use"', { generator: { options: {} } }, '"generator" must be an object with a "use" string, got {"options":{}}'],
    ['no generator', { generator: undefined }, '"generator" must be an object with a "use" string, got nothing'],
    ['a plan that is not text', { plan: 1 }, '"plan" must be a string, got 1'],
    ['features that are not text', { features: [1] }, '"features" must be an array of strings, got [1]'],
    ['warnings that are not a list', { warnings: 'w' }, '"warnings" must be an array of strings, got "w"'],
    ['a short snapshot hash', { snapshotHash: 'a'.repeat(63) }, `"snapshotHash" must be a sha256 in hex, got "${'a'.repeat(56)}…`],
    ['a snapshot hash with text around it', { snapshotHash: `x${'a'.repeat(64)}` }, `"snapshotHash" must be a sha256 in hex, got "x${'a'.repeat(55)}…`],
    ['an executable that is not a file', { executable: ['bin/other.sh'] }, '"executable" must be an array of keys of "files" when present, got ["bin/other.sh"]'],
    ['contributions that are a list', { contributions: ['package.json'] }, '"contributions" must be absent or an object mapping mergeable files to sha256 hashes, got ["package.json"]'],
    ['a wait of negative start', { waits: [{ kind: 'retry', fromMs: -1, toMs: 3 }] }, '"waits" must be absent or an array of { kind: "rate-limit" | "retry", fromMs, toMs } with 0 ≤ fromMs ≤ toMs, got [{"kind":"retry","fromMs":-1,"toMs":3}]'],
    ['a wait ending before it starts', { waits: [{ kind: 'retry', fromMs: 4, toMs: 3 }] }, '"waits" must be absent or an array of { kind: "rate-limit" | "retry", fromMs, toMs } with 0 ≤ fromMs ≤ toMs, got [{"kind":"retry","fromMs":4,"toMs":3}]'],
    ['a wait of unknown kind', { waits: [{ kind: 'sleep', fromMs: 0, toMs: 3 }] }, '"waits" must be absent or an array of { kind: "rate-limit" | "retry", fromMs, toMs } with 0 ≤ fromMs ≤ toMs, got [{"kind":"sleep","fromMs":0,"toMs":3}]'],
  ])('rejects %s with one line naming the field, what it must be and what it got', (_name, change, line) => {
    expect(manifestProblems({ ...edge(), ...change })).toEqual([line]);
  });

  it('rejects a wait that never ends, and a wait whose times are text', () => {
    expect(isWaitList([{ kind: 'retry', fromMs: 0, toMs: Infinity }])).toBe(false);
    expect(isWaitList([{ kind: 'retry', fromMs: '0', toMs: 3 }])).toBe(false);
    expect(isWaitList([{ kind: 'retry', fromMs: 0, toMs: '3' }])).toBe(false);
    expect(isWaitList([null])).toBe(false);
  });

  it('shows a long value as its first 57 characters (opening quote included) and an ellipsis, and a value of exactly 60 whole', () => {
    const sixty = 'p'.repeat(58); // JSON.stringify adds the two quotes: 60 characters
    expect(manifestProblems({ ...edge(), plan: undefined, features: sixty })).toEqual(['"plan" must be a string, got nothing', `"features" must be an array of strings, got "${sixty}"`]);
    const sixtyOne = 'p'.repeat(59);
    expect(manifestProblems({ ...edge(), features: sixtyOne })).toEqual([`"features" must be an array of strings, got "${'p'.repeat(56)}…`]);
  });

  it('says what a manifest that is not an object is', () => {
    expect(manifestProblems(null)).toEqual(['it is null, not a JSON object']);
    expect(manifestProblems([1])).toEqual(['it is [1], not a JSON object']);
    expect(manifestProblems('x')).toEqual(['it is "x", not a JSON object']);
  });

  it('checks "files": an object, keys by the path rule, values sha256; keeps checking the other fields', () => {
    expect(manifestProblems({ ...edge(), files: ['src/a.ts'], executable: undefined })).toEqual(['"files" must be an object mapping paths to sha256 hashes, got ["src/a.ts"]']);
    expect(manifestProblems({ ...edge(), durationMs: -1, files: undefined, executable: undefined })).toEqual([
      '"durationMs" must be a non-negative number, got -1',
      '"files" must be an object mapping paths to sha256 hashes, got nothing',
    ]);
    expect(manifestProblems({ ...edge(), files: { 'src/a.ts': 'A'.repeat(64) }, executable: undefined })).toEqual([
      `"files" value of "src/a.ts" must be a sha256 in hex, got "${'A'.repeat(56)}…`,
    ]);
    expect(manifestProblems({ ...edge(), files: { 'src/a.ts': 5 }, executable: undefined })).toEqual(['"files" value of "src/a.ts" must be a sha256 in hex, got 5']);
    expect(manifestProblems({ ...edge(), files: { 'src/../a.ts': 'a'.repeat(64) }, executable: undefined })[0]).toMatch(/^"files" key .*"src\/\.\.\/a\.ts"/);
    expect(manifestProblems({ ...edge(), contributions: { 'src//a.ts': 'a'.repeat(64) } })).toEqual([
      '"contributions" key "src//a.ts" is not in normal form ("src/a.ts").',
    ]);
  });
});

describe('recordedPathIssue', () => {
  it('accepts a relative path in normal form and says why any other fails', () => {
    expect(recordedPathIssue('src/a.ts')).toBeUndefined();
    expect(recordedPathIssue('src/./a.ts')).toBe('"src/./a.ts" is not in normal form ("src/a.ts").');
    expect(recordedPathIssue('/etc/passwd')).toEqual(expect.stringContaining('"/etc/passwd"'));
  });
});

describe('usage, cost and checks from disk', () => {
  it('takes zero usage counters and refuses a negative or missing one', () => {
    const zero = { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 };
    expect(isUsage(zero)).toBe(true);
    for (const field of Object.keys(zero)) {
      expect(isUsage({ ...zero, [field]: -1 })).toBe(false);
      expect(isUsage({ ...zero, [field]: undefined })).toBe(false);
    }
    expect(isUsage(null)).toBe(false);
  });

  it('takes a free call (usd 0), 20 models and a 200-character name; refuses 21 models or a 201-character name', () => {
    const cost = (models: string[], usd: number | null = 0) => ({ usd, models, priceTableDate: '2025-08-07' });
    expect(isPhaseCost(cost(['m']))).toBe(true);
    expect(isPhaseCost(cost(Array.from({ length: 20 }, (_, i) => `m${i}`)))).toBe(true);
    expect(isPhaseCost(cost(Array.from({ length: 21 }, (_, i) => `m${i}`)))).toBe(false);
    expect(isPhaseCost(cost(['x'.repeat(200)]))).toBe(true);
    expect(isPhaseCost(cost(['x'.repeat(201)]))).toBe(false);
    expect(isPhaseCost(cost(['']))).toBe(false);
    expect(isPhaseCost(cost(['m\u0085x']))).toBe(false);
    expect(isPhaseCost(cost([7 as unknown as string]))).toBe(false);
    expect(isPhaseCost({ usd: 0, models: ['m'], priceTableDate: 20250807 })).toBe(false);
    expect(isPhaseCost({ usd: 0, models: ['m'], priceTableDate: 'x2025-08-07' })).toBe(false);
    expect(isPhaseCost({ usd: 0, models: ['m'], priceTableDate: '2025-08-07x' })).toBe(false);
    expect(isPhaseCost({ usd: 0, models: 'm', priceTableDate: '2025-08-07' })).toBe(false);
  });

  it("reads a failed phase's checks (lastPassed false): all failed, the last too", () => {
    const failed = [
      { attempt: 1, passed: false, durationMs: 0, diagnostics: 0 },
      { attempt: 2, passed: false, durationMs: 3, diagnostics: 2 },
    ];
    expect(isCheckList(failed, false)).toBe(true);
    expect(isCheckList(failed)).toBe(false);
    expect(isCheckList([{ ...failed[0], durationMs: '3' }], false)).toBe(false);
    expect(isCheckList([{ ...failed[0], passed: 'no' }], false)).toBe(false);
    expect(isCheckList([{ ...failed[0], diagnostics: -1 }], false)).toBe(false);
    expect(isCheckList([null], false)).toBe(false);
  });
});
