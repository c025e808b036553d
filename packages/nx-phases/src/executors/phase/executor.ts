import type { ExecutorContext } from '@nx/devkit';
import { runPhase } from '../../runtime/run-phase';
import type { PhaseExecutorOptions } from './schema';

/** Runs one phase: snapshot → generate → validate → atomic commit. A failed phase commits nothing. */
export default async function phaseExecutor(options: PhaseExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  return runPhase({ workspaceRoot: context.root, plan: options.plan, phase: options.phase, fingerprint: options.fingerprint });
}
