import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describeHandEdit } from '../../plan/merge/hand-edit-diff';
import type { MergeStrategy } from '../../plan';
import { writeFileAtomically } from '../atomic-commit';
import type { LoadedPlan } from '../load-plan';
import { sha256 } from '../hash';
import { assertRealFilePath } from '../real-path-check';
import { collectContributions, mergeCollected } from './collect';
import { readMergeRecord, writeMergeRecord, type MergeRecord } from './merge-record';

/** What the merge step did to one mergeable file. */
export interface MergedFileReport {
  file: string;
  strategy: MergeStrategy;
  /** Numbers of the phases whose contributions it holds. */
  contributors: number[];
  /** True when the app's file was written (it was missing or differed). */
  written: boolean;
}

/**
 * A merged file in the app differs from what the merge step last wrote into it (edited by hand, or written by
 * something else): the merge stops before writing anything, so the edit is kept, and says what differs and how
 * to keep or drop it.
 */
export class HandEditError extends Error {
  constructor(planFile: string, edits: Array<{ path: string; differences: string[] }>, recordProblem: string | undefined) {
    const why = recordProblem ? ` (the merge cannot tell: ${recordProblem})` : '';
    super(
      [
        `${edits.length === 1 ? 'A merged file was' : `${edits.length} merged files were`} changed since the merge last wrote ${edits.length === 1 ? 'it' : 'them'}${why}, so nothing was overwritten:`,
        ...edits.flatMap(({ path, differences }) => [`  ${path}:`, ...differences.map((difference) => `    - ${difference}`)]),
        'Fix: to keep an edit, make it part of a phase (change the phase that plans the file so it adds the entry, ' +
          `see "Mergeable shared files" in the README) and run again; to drop it and take the merged file, delete ${edits.map(({ path }) => path).join(', ')} ` +
          `and run again (the merge writes ${edits.length === 1 ? 'it' : 'them'} from the phases' records). ${planFile} merges ${edits.length === 1 ? 'this file' : 'these files'}.`,
      ].join('\n'),
    );
    this.name = 'HandEditError';
  }
}

/**
 * Builds every mergeable file of the plan from all recorded contributions and writes it into the app root (each via
 * temp file + rename, only when it differs). Every merge is computed before anything is written, so a conflict
 * (`MergeConflictError`) or a bad record leaves the app as it was. Files no phase contributed to are left alone.
 * A file that differs from what the merge last wrote (`.phases/merged.json`) is never overwritten: `HandEditError`.
 */
export function mergeIntoApp(workspaceRoot: string, loaded: LoadedPlan): MergedFileReport[] {
  const { plan, appRoot, planFile } = loaded;
  if (!plan.merge) return [];
  const grouped = collectContributions({ workspaceRoot, appRoot, plan, phases: plan.phases.map((phase) => phase.number) });
  const { merged } = mergeCollected(plan, grouped);
  const appRootAbs = join(workspaceRoot, appRoot);
  const fix = (file: string) => `Fix: make it a real file inside the app root, or remove ${JSON.stringify(file)} from "merge" in ${planFile}.`;
  for (const file of merged.keys()) assertRealFilePath(appRootAbs, file, fix(file));
  const { record, problem } = readMergeRecord(appRootAbs, plan);
  const current = new Map([...merged.keys()].map((file) => [file, readIfPresent(join(appRootAbs, file))]));
  const edits = [...merged]
    .filter(([file, text]) => isHandEdited(current.get(file), text, record.get(file)))
    .map(([file, text]) => ({ path: posix.join(appRoot, file), differences: describeHandEdit(plan.merge![file], current.get(file)!, text) }));
  if (edits.length > 0) throw new HandEditError(planFile, edits, problem);
  const next: MergeRecord = new Map([...record].filter(([file]) => !merged.has(file)));
  for (const [file, text] of merged) {
    const before = current.get(file);
    next.set(file, before === undefined || before === text ? [sha256(text)] : [sha256(before), sha256(text)]);
  }
  writeMergeRecord(appRootAbs, next);
  const reports: MergedFileReport[] = [];
  for (const [file, text] of merged) {
    const written = current.get(file) !== text;
    if (written) writeFileAtomically(join(appRootAbs, file), text);
    const contributors = (grouped.get(file) ?? []).map(({ by }) => by.number).sort((a, b) => a - b);
    reports.push({ file, strategy: plan.merge[file], contributors, written });
  }
  for (const [file, text] of merged) next.set(file, [sha256(text)]);
  writeMergeRecord(appRootAbs, next);
  return reports;
}

/** True when the app's file exists, differs from the new merge, and is not a text the merge step last wrote. */
function isHandEdited(current: string | undefined, text: string, recorded: string[] | undefined): boolean {
  if (current === undefined || current === text) return false;
  return !(recorded ?? []).includes(sha256(current));
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** One line per merged file: `package.json (json): 6 contributions from phases 1, 4, 5, 6, 7, 9; updated`. */
export function describeMergedFiles(planName: string, reports: readonly MergedFileReport[]): string {
  const lines = reports.map(({ file, strategy, contributors, written }) => {
    const count = contributors.length === 1 ? '1 contribution from phase' : `${contributors.length} contributions from phases`;
    return `  ${file} (${strategy}): ${count} ${contributors.join(', ')}; ${written ? 'written' : 'unchanged'}`;
  });
  return [`nx-phases: merged ${reports.length} shared file${reports.length === 1 ? '' : 's'} of ${planName}:`, ...lines].join('\n');
}
