import type { PreTasksExecution } from '@nx/devkit';
import { parallelFromArgv } from '../report/parallel-arg';
import { RUN_ID_ENV, RUN_PARALLEL_ENV } from '../runtime/run-records';
import type { NxPhasesPluginOptions } from './options';

/**
 * Nx hook run before tasks: names the invocation in every task's environment (Nx passes environment variables
 * a pre-tasks hook sets on to the task processes, with the daemon on or off), so phases record that they ran
 * and the plan's aggregate target can summarise this run in the terminal.
 */
export const preTasksExecution: PreTasksExecution<NxPhasesPluginOptions> = (_options, context) => {
  process.env[RUN_ID_ENV] = context.id;
  process.env[RUN_PARALLEL_ENV] = String(parallelFromArgv(context.argv, context.nxJsonConfiguration.parallel));
};
