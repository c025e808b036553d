/**
 * A child process for the batch tests: `batch-runner.ts <config json>` runs `runPhaseBatch` on a temp workspace
 * (config: { workspaceRoot, parallel, tasks }) and prints one `RESULT <json>` line per task result, outside any
 * task, so the test sees exactly what Nx would receive.
 */
import { runPhaseBatch, type BatchPhaseTask } from '../run-batch';

async function main(config: { workspaceRoot: string; parallel: number; tasks: BatchPhaseTask[] }): Promise<void> {
  for await (const result of runPhaseBatch(config.tasks, { workspaceRoot: config.workspaceRoot, parallel: config.parallel, reuse: true })) {
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  }
  process.exit(0);
}

main(JSON.parse(process.argv[2])).catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
