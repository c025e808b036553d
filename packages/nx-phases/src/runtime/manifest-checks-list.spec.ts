import { isCheckList, manifestProblems } from './manifest-checks';

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
  ])('rejects %s', (_name, checks) => {
    expect(isCheckList(checks)).toBe(false);
    const manifest = { plan: 'p', phase: { number: 1, name: 'A' }, features: [], snapshotHash: 'a'.repeat(64), generator: { use: 'x:y' }, durationMs: 1, usage: { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 }, warnings: [], files: {}, checks };
    expect(manifestProblems(manifest).join('\n')).toContain('"checks" must be absent or an array');
  });
});
