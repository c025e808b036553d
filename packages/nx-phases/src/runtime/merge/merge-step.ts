import { ContributionError, MergeConflictError } from '../../plan';
import type { LoadedPlan } from '../load-plan';
import { ManifestError, MissingRecordError } from '../manifest';
import { UnsafePathError } from '../real-path-check';
import { ContributionRecordError } from './contribution-record';
import { describeMergedFiles, HandEditError, mergeIntoApp } from './merge-into-app';

/**
 * The aggregate target's merge step: merges the plan's mergeable files into the app from every recorded
 * contribution and prints what it did. Returns false after printing the error when a merge conflicts, a record is
 * missing or bad, or a merged file's path is unsafe (a symlink in the app); the app is then left as it was. Only an
 * unexpected error (a full disk) gets its stack, and only with NX_VERBOSE_LOGGING. A plan without mergeable files
 * prints nothing.
 */
export function mergeSharedFilesStep(workspaceRoot: string, loaded: LoadedPlan, print: (text: string) => void, printError: (text: string) => void): boolean {
  try {
    const reports = mergeIntoApp(workspaceRoot, loaded);
    if (reports.length > 0) print(describeMergedFiles(loaded.plan.name, reports));
    return true;
  } catch (error) {
    const known = [MergeConflictError, ContributionError, ContributionRecordError, ManifestError, MissingRecordError, HandEditError, UnsafePathError].some((type) => error instanceof type);
    const message = error instanceof Error ? error.message : String(error);
    const stack = !known && process.env.NX_VERBOSE_LOGGING === 'true' && error instanceof Error ? `\n${error.stack}` : '';
    printError(`nx-phases: the shared files of ${loaded.planFile} were not merged, and the app was left as it was.\n${message}${stack}`);
    return false;
  }
}
