import { logger, type ExecutorContext } from '@nx/devkit';
import { printRunSummaryStep } from '../../report/run-summary-step';
import { loadPlan } from '../../runtime/load-plan';
import type { AssembleExecutorOptions } from './schema';

/**
 * The plan's aggregate target (`<plan>:phase`, uncached, after every phase): prints the plan's conflict fixes
 * and this run's summary with a pointer to the Gantt page, as task output, so they reach the terminal with the
 * Nx daemon on or off. Each step is its own module; this executor only calls them in order.
 */
export default async function assembleExecutor(options: AssembleExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    const loaded = loadPlan(context.root, options.plan);
    printRunSummaryStep(loaded, context, (text) => logger.info(text));
    return { success: true };
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error));
    return { success: false };
  }
}
