import { Listr, ListrDefaultRendererLogLevels, type ListrTask } from 'listr2';
import { ENV_SETTINGS, readChoiceSetting } from './env-settings';

/** One step of a phase run; `update` changes the step's visible title. */
export type ProgressStep<T> = (update: (title: string) => void) => Promise<T> | T;

/** The environment variable that picks how phase steps are shown: `auto` (default), `fancy`, `plain`, `titles` or `none`. */
export const PROGRESS_ENV = ENV_SETTINGS.progress.name;

/**
 * How phase steps are shown: `fancy` is listr2's live view (a TTY outside CI and Nx's terminal UI); `plain`
 * prints one line per step when it ends, with its final title (logs, pipes, CI, Nx's terminal UI); `titles` also
 * prints a `·` line for each title change as it happens (to watch waits and retries in a log); `none` prints nothing.
 */
export type ProgressMode = 'fancy' | 'plain' | 'titles' | 'none';

/** The mode `NX_PHASES_PROGRESS` asks for, or by default `fancy` on a TTY outside CI and Nx's terminal UI, else `plain`. */
export function progressMode(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout.isTTY)): ProgressMode {
  const asked = readChoiceSetting(env, ENV_SETTINGS.progress);
  if (asked !== undefined && asked !== 'auto') return asked;
  return isTTY && !env.CI && env.NX_TUI !== 'true' ? 'fancy' : 'plain';
}

/**
 * Whether the live view may use colour: not with NO_COLOR set (any value but empty) or FORCE_COLOR=0/false. Plain
 * lines never carry colour: Nx sets FORCE_COLOR=true in every task process, so it cannot mean the user asked for it.
 */
export function colourAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
}

/** Runs named steps in order, shown as `progressMode()` says. */
export class PhaseProgress {
  private readonly steps: Array<{ title: string; step: ProgressStep<unknown> }> = [];

  constructor(
    private readonly mode: ProgressMode = progressMode(),
    private readonly write: (text: string) => void = (text) => void process.stdout.write(text),
  ) {}

  /** Queues a step. */
  add(title: string, step: ProgressStep<unknown>): this {
    this.steps.push({ title, step });
    return this;
  }

  /** Runs the queued steps in order; rethrows the first failing step's own error (printed in full by the executor). */
  async run(): Promise<void> {
    if (this.mode === 'fancy') return this.runFancy();
    const lines = this.mode !== 'none';
    for (const { title, step } of this.steps) {
      let shown = title;
      const update = (next: string) => {
        if (this.mode === 'titles' && next !== shown) this.write(`· ${next}\n`);
        shown = next;
      };
      if (this.mode === 'titles') this.write(`· ${title}\n`);
      try {
        await step(update);
      } catch (error) {
        if (lines) this.write(`✖ ${shown}: failed (details below)\n`);
        throw error;
      }
      if (lines) this.write(`✔ ${shown}\n`);
    }
  }

  private async runFancy(): Promise<void> {
    const tasks: ListrTask[] = this.steps.map(({ title, step }) => ({
      title,
      task: async (_ctx, task) => {
        try {
          await step((next) => (task.title = next));
        } catch (error) {
          throw new StepFailedError(error);
        }
      },
    }));
    const colour = colourAllowed() ? {} : { color: plainColours() };
    try {
      await new Listr(tasks, { concurrent: false, exitOnError: true, renderer: 'default', rendererOptions: { collapseErrors: false, ...colour } }).run();
    } catch (error) {
      throw error instanceof StepFailedError ? error.original : error;
    }
  }
}

/** listr2's colour map with every level left uncoloured. */
function plainColours(): Record<ListrDefaultRendererLogLevels, (text?: string) => string> {
  const same = (text?: string) => text ?? '';
  return Object.fromEntries(Object.values(ListrDefaultRendererLogLevels).map((level) => [level, same])) as Record<ListrDefaultRendererLogLevels, (text?: string) => string>;
}

/** Carries a step's error through listr2 with a one-word message, so the full message is printed once, by the executor. */
class StepFailedError extends Error {
  constructor(readonly original: unknown) {
    super('failed (details below)');
  }
}
