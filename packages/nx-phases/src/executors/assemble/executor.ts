import type { ExecutorContext } from '@nx/devkit';
import { printRunSummaryStep } from '../../report/run-summary-step';
import { loadPlan } from '../../runtime/load-plan';
import { mergeSharedFilesStep } from '../../runtime/merge/merge-step';
import type { AssembleExecutorOptions } from './schema';

/**
 * The plan's aggregate target (`<plan>:phase`, uncached, after every phase): merges the plan's mergeable shared
 * files into the app from the phases' recorded contributions, then prints the plan's conflict fixes and this run's
 * summary with a pointer to the Gantt page, as task output, so they reach the terminal with the Nx daemon on or
 * off. Each step is its own module; this executor only calls them in order. A failed merge fails the target.
 * It prints with console, not @nx/devkit's logger: loading devkit cost this process (the last step of every run)
 * 0.2-0.6 s under load (issue 22).
 */
export default async function assembleExecutor(options: AssembleExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    const loaded = loadPlan(context.root, options.plan);
    const merged = mergeSharedFilesStep(context.root, loaded, (text) => console.log(text), (text) => console.error(text));
    printRunSummaryStep(loaded, context, (text) => console.log(text));
    return { success: merged };
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return { success: false };
  }
}
