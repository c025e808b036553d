import { Listr, type ListrTask } from 'listr2';

/** One step of a phase run; `update` changes the step's visible title. */
export type ProgressStep<T> = (update: (title: string) => void) => Promise<T> | T;

/** In plain output, a title that only differs in its numbers (a countdown) is printed at most this often. */
const PLAIN_REPEAT_MS = 5000;

/**
 * Runs named steps with listr2: the default renderer on a TTY; in CI, pipes or Nx's TUI the verbose renderer,
 * which prints one line per event with no cursor movement, title changes included (countdowns throttled).
 */
export class PhaseProgress {
  private readonly steps: ListrTask[] = [];
  private readonly fancy = useFancyRenderer();

  /** Queues a step. */
  add(title: string, step: ProgressStep<unknown>): this {
    this.steps.push({
      title,
      task: async (_ctx, task) => {
        const titles = new TitleThrottle(this.fancy ? 0 : PLAIN_REPEAT_MS, (next) => (task.title = next));
        try {
          await step((next) => titles.update(next));
        } catch (error) {
          throw new StepFailedError(error);
        } finally {
          titles.flush();
        }
      },
    });
    return this;
  }

  /** Runs the queued steps in order; rethrows the first step's original error (the renderer shows only "failed"). */
  async run(): Promise<void> {
    try {
      await this.listr().run();
    } catch (error) {
      throw error instanceof StepFailedError ? error.original : error;
    }
  }

  private listr(): Listr {
    return new Listr(this.steps, {
      concurrent: false,
      exitOnError: true,
      renderer: this.fancy ? 'default' : 'verbose',
      fallbackRenderer: 'verbose',
      rendererOptions: this.fancy ? { collapseErrors: false } : { logTitleChange: true },
      fallbackRendererOptions: { logTitleChange: true },
    });
  }
}

/** Forwards title changes, but a change that only moves numbers (a countdown) at most every `repeatMs`. */
class TitleThrottle {
  private shown = '';
  private pending: string | undefined;
  private shownAt = 0;

  constructor(
    private readonly repeatMs: number,
    private readonly show: (title: string) => void,
  ) {}

  update(title: string): void {
    const sameShape = numberless(title) === numberless(this.shown);
    if (sameShape && Date.now() - this.shownAt < this.repeatMs) {
      this.pending = title;
      return;
    }
    this.pending = undefined;
    this.shown = title;
    this.shownAt = Date.now();
    this.show(title);
  }

  /** Shows the last title that was held back, so the step ends with its final title. */
  flush(): void {
    if (this.pending !== undefined) this.show(this.pending);
  }
}

function numberless(title: string): string {
  return title.replace(/[\d.,]+/g, '#');
}

function useFancyRenderer(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.CI && process.env.NX_TUI !== 'true';
}

/** Carries a step's error through listr2 with a one-word message, so the full message is printed once, by the executor. */
class StepFailedError extends Error {
  constructor(readonly original: unknown) {
    super('failed (details below)');
  }
}
