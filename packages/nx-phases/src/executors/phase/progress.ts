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
        await step((next) => {
          task.title = next;
        });
      },
    });
    return this;
  }

  /** Runs the queued steps in order, stopping at the first error. */
  async run(): Promise<void> {
    await new Listr(this.steps, {
      concurrent: false,
      exitOnError: true,
      renderer: useFancyRenderer() ? 'default' : 'simple',
      fallbackRenderer: 'simple',
      rendererOptions: { collapseErrors: false },
    }).run();
  }
}

function useFancyRenderer(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.CI && process.env.NX_TUI !== 'true';
}
