import { parallelFromArgv } from '../../report/parallel-arg';
import { parentCommandLine } from '../nx-command-line';

/**
 * The `--parallel` of the nx command that started this batch worker (Nx does not pass it to a batch), by Nx's own
 * rules: the command line of the parent process (`--parallel=4`, `--parallel 4`, bare `--parallel` → `--max-parallel`
 * or 3, `--parallel=false` → 1); without `--parallel` on it, `NX_PARALLEL` (as `--max-parallel`); then nx.json's
 * `parallel`; else 3.
 */
export function batchParallelism(nxJsonParallel: number | undefined, parentArgv: readonly string[] = parentCommandLine(), env: NodeJS.ProcessEnv = process.env): number {
  const named = parentArgv.some((arg) => arg === '--parallel' || arg.startsWith('--parallel='));
  if (!named && env.NX_PARALLEL) return parallelFromArgv([...parentArgv, `--max-parallel=${env.NX_PARALLEL}`, '--parallel'], nxJsonParallel);
  return parallelFromArgv(parentArgv, nxJsonParallel);
}
