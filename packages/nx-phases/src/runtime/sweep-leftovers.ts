import { join, posix } from 'node:path';
import { PLAN_FILE } from '../constants';
import { parentFolderOf, removeDeadLeftovers } from './leftovers';
import { loadPlan } from './load-plan';
import { phaseRecordPathInApp } from './record-paths';
import { removeSnapshotsOfDeadProcesses } from './snapshot-folders';

/**
 * After a run, removes what phase processes killed with SIGKILL left behind in each app root, whether or not
 * the phase runs again (a cache hit never calls the executor): staged temp files next to planned files,
 * record staging folders and temp files in `.phases/<n>`, and the plan's snapshot folders in the OS temp folder.
 * Only leftovers of processes of this host that provably no longer exist are removed, through real folders only.
 * Never throws: a sweep that cannot finish leaves the rest for the next run.
 */
export function sweepLeftovers(workspaceRoot: string, appRoots: Iterable<string>): void {
  for (const appRoot of new Set(appRoots)) {
    try {
      const { plan } = loadPlan(workspaceRoot, posix.join(appRoot, PLAN_FILE));
      const folders = plan.phases.flatMap((phase) => [phaseRecordPathInApp(phase.number), ...phase.plannedFiles.map(parentFolderOf)]);
      removeDeadLeftovers(join(workspaceRoot, appRoot), folders);
      removeSnapshotsOfDeadProcesses(plan.name);
    } catch {
      // An unreadable plan or folder: the phases report it when they run.
    }
  }
}
