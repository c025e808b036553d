import { PhaseProgress } from './progress';

describe('PhaseProgress in CI (plain output)', () => {
  let written: string;
  const originalCI = process.env.CI;
  beforeEach(() => {
    written = '';
    process.env.CI = 'true';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env.CI = originalCI;
    if (originalCI === undefined) delete process.env.CI;
  });

  it('prints title changes as lines, throttling a countdown, and ends with the final title', async () => {
    await new PhaseProgress()
      .add('Generating', (title) => {
        for (let s = 10; s >= 1; s--) title(`Waiting for rate-limit slot (${s} s)`);
        title('Retrying in 2 s (attempt 2 of 7 after HTTP 429)');
        title('Generating (m, ~300 prompt tokens → 40 output tokens)');
      })
      .run();
    expect(written).toContain('[TITLE] Waiting for rate-limit slot (10 s)');
    expect(written).not.toContain('slot (9 s)');
    expect(written).toContain('[TITLE] Retrying in 2 s (attempt 2 of 7 after HTTP 429)');
    expect(written).toContain('[COMPLETED] Generating (m, ~300 prompt tokens → 40 output tokens)');
    expect(written).not.toMatch(/\u001b\[\d*[ABCDGJK]/);
  });

  it('rethrows the step error itself', async () => {
    const failing = new PhaseProgress().add('Validating', () => {
      throw new Error('src/x.ts is not in its plannedFiles');
    });
    await expect(failing.run()).rejects.toThrow('src/x.ts is not in its plannedFiles');
  });
});
