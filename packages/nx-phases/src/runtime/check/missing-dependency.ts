import { posix } from 'node:path';
import { transitiveDependencies } from '../../plan';
import type { Phase, PhasePlan } from '../../plan/types';
import type { CheckDiagnostic } from './diagnostics';

/** A file a diagnostic points at (or imports) that a phase outside this phase's dependencies plans. */
export interface MissingDependency {
  file: string;
  plannedBy: number;
}

/** Extensions tried for an import specifier without one, in TypeScript's order. */
const IMPORT_EXTENSIONS = ['', '.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.json', '/index.ts', '/index.tsx', '/index.js', '/index.jsx'];

/**
 * For each diagnostic, the files it points at (its own file, and any relative import named in its message, resolved
 * from that file) that are planned by a phase this phase neither is nor depends on, transitively, and not by this
 * phase or a dependency too (then the file is in the snapshot). One entry per file.
 */
export function findMissingDependencies(diagnostics: CheckDiagnostic[], plan: PhasePlan, phase: Phase): MissingDependency[] {
  const reachable = new Set(transitiveDependencies(plan, phase.number));
  const seen = new Set(plan.phases.filter((other) => other.number === phase.number || reachable.has(other.number)).flatMap((other) => other.plannedFiles));
  const planner = new Map<string, number>();
  for (const other of plan.phases) {
    if (other.number === phase.number || reachable.has(other.number)) continue;
    // A file this phase or a dependency plans is in its snapshot: a diagnostic there is not a missing dependency.
    for (const file of other.plannedFiles) if (!plan.merge?.[file] && !seen.has(file) && !planner.has(file)) planner.set(file, other.number);
  }
  const found = new Map<string, MissingDependency>();
  for (const diagnostic of diagnostics) {
    for (const candidate of candidateFiles(diagnostic)) {
      const plannedBy = planner.get(candidate);
      if (plannedBy !== undefined && !found.has(candidate)) found.set(candidate, { file: candidate, plannedBy });
    }
  }
  return [...found.values()];
}

/** The sentence naming the dependency to add. */
export function describeMissingDependency(phase: Phase, missing: MissingDependency): string {
  return (
    `phase ${phase.number} imports ${missing.file}, planned by phase ${missing.plannedBy}, which it does not depend on: ` +
    `add ${missing.plannedBy} to phase ${phase.number}'s dependencies`
  );
}

function candidateFiles(diagnostic: CheckDiagnostic): string[] {
  const files = [diagnostic.file];
  for (const match of diagnostic.message.matchAll(/['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const base = posix.normalize(posix.join(posix.dirname(diagnostic.file), match[1]));
    if (base.startsWith('..')) continue;
    const stripped = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
    for (const extension of IMPORT_EXTENSIONS) files.push(`${base}${extension}`, `${stripped}${extension}`);
  }
  return [...new Set(files)];
}
