import { isAbsolute, posix } from 'node:path';
import type { Phase } from '../plan/types';
import type { WalkedFile } from './file-walk';
import { formatProblemList, LISTED_PROBLEMS } from './problem-list';

/** Thrown when a phase's output breaks the rules; lists every offending file. */
export class PhaseOutputError extends Error {}

/** Where the phase is declared, so messages can say how to fix the plan. */
export interface PhaseLocation {
  planFile: string;
  /** JSON path of the phase in the plan file, e.g. `phases[2]`. */
  jsonPath: string;
}

/** The validated result: files the phase created or modified, and warnings. */
export interface PhaseOutput {
  written: string[];
  /** sha256 of each written file. */
  hashes: Record<string, string>;
  /** The written files that are executable (mode 0755), sorted. */
  executable: string[];
  warnings: string[];
}

/** Rejects a generator change whose path leaves the snapshot (`..`, absolute), before anything is flushed. */
export function assertPathsStayInside(paths: string[], phase: Phase, where: PhaseLocation): void {
  const escapes = paths.filter((p) => isAbsolute(p) || posix.normalize(p.replace(/\\/g, '/')).split('/').includes('..'));
  if (escapes.length > 0) {
    const shown = escapes.slice(0, LISTED_PROBLEMS).map((p) => JSON.stringify(p));
    const more = escapes.length > LISTED_PROBLEMS ? ` and ${(escapes.length - LISTED_PROBLEMS).toLocaleString('en-US')} more` : '';
    throw new PhaseOutputError(
      `${label(phase)} tried to write outside its app root: ${shown.join(', ')}${more}. ` +
        `Phases may only write their plannedFiles (${where.jsonPath}.plannedFiles in ${where.planFile}), as paths relative to the app root.`,
    );
  }
}

/** Compares the snapshot before and after generation and enforces the plannedFiles contract. */
export function validatePhaseOutput(
  before: Map<string, WalkedFile>,
  after: Map<string, WalkedFile>,
  phase: Phase,
  where: PhaseLocation,
): PhaseOutput {
  const planned = new Set(phase.plannedFiles);
  const problems: string[] = [];
  const written: string[] = [];
  const hashes: Record<string, string> = {};
  for (const [path, file] of after) {
    const previous = before.get(path);
    if (previous && previous.kind === file.kind && previous.hash === file.hash && previous.executable === file.executable) continue;
    const shown = JSON.stringify(path);
    if (file.kind === 'symlink') problems.push(`${shown} is a symlink; phases may only write regular files.`);
    else if (!planned.has(path)) {
      problems.push(`${shown} is not in its plannedFiles. Add ${shown} to ${where.jsonPath}.plannedFiles in ${where.planFile}, or stop the generator from writing it.`);
    } else {
      written.push(path);
      hashes[path] = file.hash;
    }
  }
  for (const path of before.keys()) {
    if (!after.has(path)) problems.push(`${JSON.stringify(path)} was deleted; phases may not delete files. Remove the deletion from the generator.`);
  }
  if (problems.length > 0) {
    throw new PhaseOutputError(`${label(phase)} produced invalid output, so nothing was committed:\n${formatProblemList(problems)}`);
  }
  const warnings = phase.plannedFiles
    .filter((p) => !written.includes(p))
    .map((p) => `${label(phase)} planned ${p} but did not write it.`);
  const executable = written.filter((path) => after.get(path)!.executable).sort();
  return { written, hashes, executable, warnings };
}

function label(phase: Phase): string {
  return `Phase ${phase.number} (${phase.name})`;
}
