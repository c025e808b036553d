import { colourAllowed, PhaseProgress, progressMode } from './progress';

describe('PhaseProgress in a log (plain output)', () => {
  const plain = () => {
    const lines: string[] = [];
    return { lines, progress: new PhaseProgress('plain', (text) => void lines.push(text)) };
  };

  it('prints one line per step, when it ends, with its final title; no title changes, no listr2 events, no colour', async () => {
    const { lines, progress } = plain();
    await progress
      .add('Snapshot', (title) => title('Snapshot (3 files from 1 phase)'))
      .add('Generating', (title) => {
        for (let s = 10; s >= 1; s--) title(`Waiting for rate-limit slot (${s} s)`);
        title('Retrying in 2 s (attempt 2 of 7 after HTTP 429)');
        title('Generating (m, ~300 prompt tokens → 40 output tokens)');
      })
      .add('Validating', () => undefined)
      .run();
    expect(lines).toEqual(['✔ Snapshot (3 files from 1 phase)\n', '✔ Generating (m, ~300 prompt tokens → 40 output tokens)\n', '✔ Validating\n']);
    expect(lines.join('')).not.toMatch(/\[(STARTED|TITLE|COMPLETED|FAILED|DATA|OUTPUT)\]|\u001b\[/);
  });

  it('marks the failing step, runs no later step, and rethrows the step error itself', async () => {
    const { lines, progress } = plain();
    let later = false;
    const failing = progress
      .add('Validating', (title) => {
        title('Validating (2 files written)');
        throw new Error('src/x.ts is not in its plannedFiles');
      })
      .add('Committing', () => void (later = true));
    await expect(failing.run()).rejects.toThrow('src/x.ts is not in its plannedFiles');
    expect(lines).toEqual(['✖ Validating (2 files written): failed (details below)\n']);
    expect(later).toBe(false);
  });

  it('prints nothing in mode none, and still returns what the steps did', async () => {
    const written: string[] = [];
    let ran = 0;
    await new PhaseProgress('none', (text) => void written.push(text)).add('A', () => void ran++).add('B', () => void ran++).run();
    expect([written, ran]).toEqual([[], 2]);
  });
});

describe('PhaseProgress with NX_PHASES_PROGRESS=titles', () => {
  it('also prints each title change as it happens', async () => {
    const lines: string[] = [];
    await new PhaseProgress('titles', (text) => void lines.push(text))
      .add('Waiting', (title) => {
        title('Waiting for pid 7 (1 s)');
        title('Waiting for pid 7 (1 s)');
        title('Waited 2 s for pid 7');
      })
      .run();
    expect(lines).toEqual(['· Waiting\n', '· Waiting for pid 7 (1 s)\n', '· Waited 2 s for pid 7\n', '✔ Waited 2 s for pid 7\n']);
  });
});

describe('progressMode', () => {
  it.each([
    [{}, true, 'fancy'],
    [{}, false, 'plain'],
    [{ CI: 'true' }, true, 'plain'],
    [{ NX_TUI: 'true' }, true, 'plain'],
    [{ NX_PHASES_PROGRESS: 'none' }, true, 'none'],
    [{ NX_PHASES_PROGRESS: 'plain' }, true, 'plain'],
    [{ NX_PHASES_PROGRESS: 'fancy' }, false, 'fancy'],
    [{ NX_PHASES_PROGRESS: 'titles' }, true, 'titles'],
    [{ NX_PHASES_PROGRESS: 'auto' }, false, 'plain'],
  ])('%j on a TTY: %s → %s', (env, isTTY, mode) => expect(progressMode(env, isTTY)).toBe(mode));

  it('refuses an unknown view with a did-you-mean instead of ignoring it', () => {
    expect(() => progressMode({ NX_PHASES_PROGRESS: 'titels' }, false)).toThrow(
      'NX_PHASES_PROGRESS="titels" is not a progress view. Did you mean "titles"? Give one of auto, fancy, plain, titles, none, or unset it.',
    );
    expect(() => progressMode({ NX_PHASES_PROGRESS: 'quiet' }, false)).toThrow('NX_PHASES_PROGRESS="quiet" is not a progress view. Give one of');
    expect(progressMode({ NX_PHASES_PROGRESS: '' }, false)).toBe('plain');
  });
});

describe('colourAllowed (the live view on a TTY)', () => {
  it.each([
    [{}, true],
    [{ NO_COLOR: '1' }, false],
    [{ NO_COLOR: '' }, true],
    [{ FORCE_COLOR: '0' }, false],
    [{ FORCE_COLOR: 'false' }, false],
    [{ FORCE_COLOR: 'true' }, true],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, false],
  ])('%j → %s', (env, allowed) => expect(colourAllowed(env)).toBe(allowed));
});
