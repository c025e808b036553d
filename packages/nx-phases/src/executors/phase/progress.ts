import { Listr, type ListrTask } from 'listr2';

/** One step of a phase run; `update` changes the step's visible title. */
export type ProgressStep<T> = (update: (title: string) => void) => Promise<T> | T;

/** Runs named steps with listr2: the default renderer on a TTY, a plain one (no cursor movement) in CI or pipes. */
export class PhaseProgress {
  private readonly steps: ListrTask[] = [];

  /** Queues a step. */
  add(title: string, step: ProgressStep<unknown>): this {
    this.steps.push({
      title,
      task: async (_ctx, task) => {
        try {
          await step((next) => {
            task.title = next;
          });
        } catch (error) {
          throw new StepFailedError(error);
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
      renderer: useFancyRenderer() ? 'default' : 'simple',
      fallbackRenderer: 'simple',
      rendererOptions: { collapseErrors: false },
    });
  }
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
