import type { PlanErrorExecutorOptions } from './schema';

/** Fails, printing why the plan cannot be loaded (the message createNodes found); writes nothing. */
export default async function planErrorExecutor(options: PlanErrorExecutorOptions): Promise<{ success: boolean }> {
  console.error(`nx-phases: ${options.plan} cannot be loaded, so none of its phases can run.\n${options.message}`);
  return { success: false };
}
