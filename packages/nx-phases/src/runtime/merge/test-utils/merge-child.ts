/**
 * A child process for the merge tests: `merge-child.ts <workspaceRoot> <planFile>` loads the plan and runs the merge
 * step's `mergeIntoApp` once, printing `MERGED <written flags>` or, when it fails, `FAILED <code or name>` and exit
 * code 1. The spec starts it under a file size limit, so that the merge dies part-way through its writes, as it does
 * when a disk fills up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlanText } from '../../load-plan';
import { mergeIntoApp } from '../merge-into-app';

const [workspaceRoot, planFile] = process.argv.slice(2);
try {
  const reports = mergeIntoApp(workspaceRoot, parsePlanText(readFileSync(join(workspaceRoot, planFile), 'utf8'), planFile));
  process.stdout.write(`MERGED ${JSON.stringify(reports.map((report) => report.written))}\n`);
} catch (error) {
  process.stdout.write(`FAILED ${(error as NodeJS.ErrnoException).code ?? (error as Error).name}\n`);
  process.exitCode = 1;
}
