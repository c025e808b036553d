import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MergeStrategy } from '../../plan';
import { writeFileAtomically } from '../atomic-commit';
import type { LoadedPlan } from '../load-plan';
import { assertRealFilePath } from '../real-path-check';
import { collectContributions, mergeCollected } from './collect';

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
 * Builds every mergeable file of the plan from all recorded contributions and writes it into the app root (each via
 * temp file + rename, only when it differs). Every merge is computed before anything is written, so a conflict
 * (`MergeConflictError`) or a bad record leaves the app as it was. Files no phase contributed to are left alone.
 */
export function mergeIntoApp(workspaceRoot: string, loaded: LoadedPlan): MergedFileReport[] {
  const { plan, appRoot, planFile } = loaded;
  if (!plan.merge) return [];
  const grouped = collectContributions({ workspaceRoot, appRoot, plan, phases: plan.phases.map((phase) => phase.number) });
  const { merged } = mergeCollected(plan, grouped);
  const appRootAbs = join(workspaceRoot, appRoot);
  const fix = (file: string) => `Fix: make it a real file inside the app root, or remove ${JSON.stringify(file)} from "merge" in ${planFile}.`;
  for (const file of merged.keys()) assertRealFilePath(appRootAbs, file, fix(file));
  const reports: MergedFileReport[] = [];
  for (const [file, text] of merged) {
    const target = join(appRootAbs, file);
    const written = !existsSync(target) || readFileSync(target, 'utf8') !== text;
    if (written) writeFileAtomically(target, text);
    const contributors = (grouped.get(file) ?? []).map(({ by }) => by.number).sort((a, b) => a - b);
    reports.push({ file, strategy: plan.merge[file], contributors, written });
  }
  return reports;
}

/** One line per merged file: `package.json (json): 6 contributions from phases 1, 4, 5, 6, 7, 9; updated`. */
export function describeMergedFiles(planName: string, reports: readonly MergedFileReport[]): string {
  const lines = reports.map(({ file, strategy, contributors, written }) => {
    const count = contributors.length === 1 ? '1 contribution from phase' : `${contributors.length} contributions from phases`;
    return `  ${file} (${strategy}): ${count} ${contributors.join(', ')}; ${written ? 'written' : 'unchanged'}`;
  });
  return [`nx-phases: merged ${reports.length} shared file${reports.length === 1 ? '' : 's'} of ${planName}:`, ...lines].join('\n');
}
