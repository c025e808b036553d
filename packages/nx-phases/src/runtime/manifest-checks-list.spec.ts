import { isCheckList, isSegmentList, manifestProblems } from './manifest-checks';

describe('a manifest\'s checks', () => {
  const ok = [
    { attempt: 1, passed: false, durationMs: 1200, diagnostics: 3 },
    { attempt: 2, passed: true, durationMs: 900, diagnostics: 0 },
  ];

  it('accepts numbered attempts ending in a pass', () => {
    expect(isCheckList(ok)).toBe(true);
  });

  it.each([
    ['empty', []],
    ['last failed', [{ attempt: 1, passed: false, durationMs: 1, diagnostics: 1 }]],
    ['misnumbered', [{ ...ok[1], attempt: 2 }]],
    ['negative duration', [{ ...ok[1], attempt: 1, durationMs: -1 }]],
    ['fractional count', [{ ...ok[1], attempt: 1, diagnostics: 0.5 }]],
    ['not a list', { attempt: 1 }],
    ['a pass before the last attempt', [{ ...ok[1], attempt: 1 }, ok[1]]],
  ])('rejects %s', (_name, checks) => {
    expect(isCheckList(checks)).toBe(false);
    const manifest = { plan: 'p', phase: { number: 1, name: 'A' }, features: [], snapshotHash: 'a'.repeat(64), generator: { use: 'x:y' }, durationMs: 1, usage: { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 }, warnings: [], files: {}, checks };
    expect(manifestProblems(manifest).join('\n')).toContain('"checks" must be absent or an array');
  });
});

describe('a manifest\'s segments', () => {
  const ok = [
    { kind: 'generate', attempt: 1, fromMs: 0, toMs: 40 },
    { kind: 'check', attempt: 1, fromMs: 41, toMs: 90 },
    { kind: 'repair', attempt: 2, fromMs: 90, toMs: 120 },
  ];

  it('accepts generate, check and repair stretches', () => {
    expect(isSegmentList(ok)).toBe(true);
  });

  it.each([
    ['an unknown kind', [{ ...ok[0], kind: 'sleep' }]],
    ['attempt 0', [{ ...ok[0], attempt: 0 }]],
    ['negative start', [{ ...ok[0], fromMs: -1 }]],
    ['end before start', [{ ...ok[0], fromMs: 50, toMs: 10 }]],
    ['infinite end', [{ ...ok[0], toMs: Infinity }]],
    ['not a list', ok[0]],
  ])('rejects %s', (_name, segments) => {
    expect(isSegmentList(segments)).toBe(false);
    const manifest = { plan: 'p', phase: { number: 1, name: 'A' }, features: [], snapshotHash: 'a'.repeat(64), generator: { use: 'x:y' }, durationMs: 1, usage: { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 }, warnings: [], files: {}, segments };
    expect(manifestProblems(manifest).join('\n')).toContain('"segments" must be absent or an array');
  });
});

describe("a manifest's cost", () => {
  const manifest = (cost: unknown) => ({
    plan: 'p', phase: { number: 1, name: 'A' }, features: [], snapshotHash: 'a'.repeat(64), generator: { use: 'x:y' }, durationMs: 1,
    usage: { calls: 1, retries: 0, promptTokens: 10, completionTokens: 5, waitMs: 0 }, warnings: [], files: {}, cost,
  });

  it.each([
    ['priced', { usd: 0.0123, models: ['gpt-4o'], priceTableDate: '2025-08-07' }],
    ['unknown', { usd: null, models: ['qwen2.5-coder:14b', 'meta-llama/Llama 3'], priceTableDate: '2025-08-07' }],
    ['absent', undefined],
    ['unknown after a call without an answer', { usd: null, models: ['gpt-4o'], priceTableDate: '2025-08-07', unanswered: 2 }],
  ])('accepts a %s cost', (_name, cost) => {
    expect(manifestProblems(manifest(cost))).toEqual([]);
  });

  it.each([
    ['negative', { usd: -1, models: ['m'], priceTableDate: '2025-08-07' }],
    ['infinite', { usd: 1e400, models: ['m'], priceTableDate: '2025-08-07' }],
    ['a string amount', { usd: '0.1', models: ['m'], priceTableDate: '2025-08-07' }],
    ['no models', { usd: 0, models: [], priceTableDate: '2025-08-07' }],
    ['a model with a line break (a forged log line)', { usd: 0, models: ['m\nNX  Successfully ran'], priceTableDate: '2025-08-07' }],
    ['a bad date', { usd: 0, models: ['m'], priceTableDate: 'today' }],
    ['not an object', 0.5],
    ['a zero count of unanswered calls', { usd: null, models: ['m'], priceTableDate: '2025-08-07', unanswered: 0 }],
    ['a fractional count of unanswered calls', { usd: null, models: ['m'], priceTableDate: '2025-08-07', unanswered: 1.5 }],
    ['a string count of unanswered calls', { usd: null, models: ['m'], priceTableDate: '2025-08-07', unanswered: '1' }],
  ])('rejects %s', (_name, cost) => {
    expect(manifestProblems(manifest(cost)).join('\n')).toContain('"cost" must be absent or an object { usd');
  });
});
