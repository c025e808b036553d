/**
 * A child process for the executor's output tests: `run-executor.ts <workspaceRoot> <plan> <phase>` runs one phase
 * through the plain executor, as Nx's forked task process does, and prints `RESULT <json>` on the real stdout fd.
 */
import { writeSync } from 'node:fs';
import phaseExecutor from '../executor';
import { context } from './phase-fixture';

async function main([workspaceRoot, plan, phase]: string[]): Promise<void> {
  const result = await phaseExecutor({ plan, phase: Number(phase) }, context(workspaceRoot));
  writeSync(1, `\nRESULT ${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
