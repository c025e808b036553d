import type { PreTasksExecution } from '@nx/devkit';
import { parallelFromArgv } from '../report/parallel-arg';
import { WORKSPACE_MAX_COST_ENV } from '../runtime/budget/budget-config';
import { checkEnvSettings } from '../runtime/env-settings';
import { RUN_ID_ENV, RUN_PARALLEL_ENV } from '../runtime/run-records';
import { normalizePluginOptions, type NxPhasesPluginOptions } from './options';
import { STREAM_OUTPUT_ENV, streamsPhaseOutput } from './run-output';
import { resolveStoreSetting, STORE_ENV } from '../runtime/store/store-setting';

/**
 * Nx hook run before tasks: names the invocation in every task's environment (Nx passes environment variables
 * a pre-tasks hook sets on to the task processes, with the daemon on or off), so phases record that they ran
 * and the plan's aggregate target can summarise this run in the terminal. For a `run-many`/`affected` run of the
 * phase target with no output style chosen, it also turns on Nx's output streaming (see `run-output.ts`), so the
 * summary the aggregate target prints reaches the terminal instead of being collapsed by Nx. The nx.json budget
 * (`maxCostUsd`) reaches the phases the same way. A bad NX_PHASES_* setting fails the run here, before any task.
 */
export const preTasksExecution: PreTasksExecution<NxPhasesPluginOptions> = async (options, context) => {
  checkEnvSettings(process.env);
  process.env[RUN_ID_ENV] = context.id;
  process.env[RUN_PARALLEL_ENV] = String(parallelFromArgv(context.argv, context.nxJsonConfiguration.parallel));
  const normalized = normalizePluginOptions(options);
  const targetName = normalized.targetName;
  if (normalized.maxCostUsd !== undefined) process.env[WORKSPACE_MAX_COST_ENV] = String(normalized.maxCostUsd);
  else delete process.env[WORKSPACE_MAX_COST_ENV];
  if (process.env.NX_STREAM_OUTPUT === undefined && streamsPhaseOutput(context.argv, targetName)) {
    for (const [name, value] of Object.entries(STREAM_OUTPUT_ENV)) process.env[name] = value;
  }
  await chooseStore(options);
};

/**
 * Resolves the coordination store (NX_PHASES_STORE, else the `store` option) and, for Redis, checks that it answers
 * before any task starts; the tasks get the store to use in NX_PHASES_STORE (`file` after a fallback the user chose).
 */
async function chooseStore(options: NxPhasesPluginOptions | undefined): Promise<void> {
  const setting = resolveStoreSetting({ env: process.env, option: options?.store, fallbackOption: options?.storeFallback });
  if (setting.kind === 'file' && process.env[STORE_ENV] === undefined) return;
  const { checkStoreAtStart } = await import('../runtime/store/redis-connection'); // ioredis loads only for Redis
  process.env[STORE_ENV] = await checkStoreAtStart(setting);
}
