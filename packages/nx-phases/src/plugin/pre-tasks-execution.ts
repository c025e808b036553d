import type { PreTasksExecution } from '@nx/devkit';
import { parallelFromArgv } from '../report/parallel-arg';
import { RUN_ID_ENV, RUN_PARALLEL_ENV } from '../runtime/run-records';
import { normalizePluginOptions, type NxPhasesPluginOptions } from './options';
import { STREAM_OUTPUT_ENV, streamsPhaseOutput } from './run-output';

/**
 * Nx hook run before tasks: names the invocation in every task's environment (Nx passes environment variables
 * a pre-tasks hook sets on to the task processes, with the daemon on or off), so phases record that they ran
 * and the plan's aggregate target can summarise this run in the terminal. For a `run-many`/`affected` run of the
 * phase target with no output style chosen, it also turns on Nx's output streaming (see `run-output.ts`), so the
 * summary the aggregate target prints reaches the terminal instead of being collapsed by Nx.
 */
export const preTasksExecution: PreTasksExecution<NxPhasesPluginOptions> = (options, context) => {
  process.env[RUN_ID_ENV] = context.id;
  process.env[RUN_PARALLEL_ENV] = String(parallelFromArgv(context.argv, context.nxJsonConfiguration.parallel));
  const targetName = normalizePluginOptions(options).targetName;
  if (process.env.NX_STREAM_OUTPUT === undefined && streamsPhaseOutput(context.argv, targetName)) {
    for (const [name, value] of Object.entries(STREAM_OUTPUT_ENV)) process.env[name] = value;
  }
};
