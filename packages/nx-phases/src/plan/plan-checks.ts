import { DEFAULT_DOMAIN } from './build-plan';
import { findDependencyCycles } from './cycles';
import { findPathCollisions, SHARED_CONTEXT } from './path-collisions';
import type { PathOccurrence } from './path-collisions';
import { checkPlanPath, describeControlCharacterIn, normalizePlanPath } from './paths';
import { predictPhaseFiles } from './predict-files';
import { checkMergeDeclarations } from './merge/merge-checks';
import type { Finding } from './schema-validate';

/** A phase entry as far as it could be read from a possibly schema-invalid document. */
interface PhaseEntry {
  /** Position in the document's `phases` array. */
  index: number;
  record: Record<string, unknown>;
  /** The phase number, when it is an integer. */
  number?: number;
  label: string;
  /** Integer dependencies with their positions in the `dependencies` array. */
  dependencies: Array<{ index: number; value: number }>;
}

/**
 * Checks what the schema cannot: an empty plan, duplicate numbers, unknown/self dependencies,
 * cycles, unsafe or duplicated paths, planned files that are shared context, paths that collide on disk
 * (a file used as a folder, or spellings that differ only in case), and `merge` declarations (see `checkMergeDeclarations`).
 * Works on schema-invalid documents too, skipping values of the wrong type.
 */
export function checkPlanSemantics(data: unknown, planFileName: string): Finding[] {
  if (!isRecord(data)) return [];
  const findings: Finding[] = [];
  if (Array.isArray(data.phases) && data.phases.length === 0) {
    findings.push({
      path: 'phases',
      message: 'The plan has no phases.',
      hint: 'Add at least one phase, e.g. { "number": 1, "name": "Setup", "domain": "setup" }.',
    });
  }
  const occurrences: PathOccurrence[] = [];
  const context = checkPathList(data.context, 'context', planFileName, findings, occurrences, SHARED_CONTEXT);
  const entries = readPhaseEntries(data.phases);
  findings.push(...checkEntryGraph(entries), ...entries.flatMap(checkPhaseName));
  const mergeable = mergeableFilesOf(data.merge);
  for (const entry of entries) checkPlannedFiles(entry, context, mergeable, planFileName, findings, occurrences);
  findings.push(...findPathCollisions(occurrences));
  findings.push(...checkMergeDeclarations(data.merge, planFileName, occurrences));
  return findings;
}

/**
 * Checks the dependency graph of a phase list: duplicate numbers, unknown and self dependencies, cycles.
 * Also used to explain why an in-memory plan cannot be ordered.
 */
export function checkPhaseGraph(phases: unknown): Finding[] {
  return checkEntryGraph(readPhaseEntries(phases));
}

/** `checkPhaseGraph` on phase entries that were already read. */
function checkEntryGraph(entries: PhaseEntry[]): Finding[] {
  const byNumber = new Map<number, PhaseEntry>();
  const findings: Finding[] = [];
  const unusedNumber = 1 + entries.reduce((highest, entry) => Math.max(highest, entry.number ?? 0), 0);
  for (const entry of entries) {
    if (entry.number === undefined) continue;
    const first = byNumber.get(entry.number);
    if (first) {
      findings.push({
        path: `phases[${entry.index}].number`,
        message: `Phase number ${entry.number} is already used by phases[${first.index}].`,
        hint: `Give every phase a unique number, e.g. ${unusedNumber}.`,
      });
    } else {
      byNumber.set(entry.number, entry);
    }
  }
  for (const entry of byNumber.values()) findings.push(...checkDependencies(entry, byNumber));
  findings.push(...cycleFindings(byNumber));
  return findings;
}

/** Reports a phase name holding a line break or other control character: names are printed in logs and messages. */
function checkPhaseName(entry: PhaseEntry): Finding[] {
  const name = entry.record.name;
  const control = typeof name === 'string' ? describeControlCharacterIn(name) : undefined;
  if (!control) return [];
  return [
    {
      path: `phases[${entry.index}].name`,
      message: `The phase name ${JSON.stringify(name)} contains a ${control} character; names are printed in logs and messages.`,
      hint: 'Remove the line break or control character from the name.',
    },
  ];
}

/** Reports dependencies on unknown phases and on the phase itself. */
function checkDependencies(entry: PhaseEntry, byNumber: Map<number, PhaseEntry>): Finding[] {
  const findings: Finding[] = [];
  for (const dependency of entry.dependencies) {
    const path = `phases[${entry.index}].dependencies[${dependency.index}]`;
    if (dependency.value === entry.number) {
      findings.push({
        path,
        message: `Phase ${entry.label} depends on itself.`,
        hint: `Remove ${dependency.value} from its own dependencies.`,
      });
    } else if (!byNumber.has(dependency.value)) {
      findings.push({
        path,
        message: `Phase ${entry.label} depends on phase ${dependency.value}, which does not exist.`,
        hint: `Remove ${dependency.value} from the dependencies or add a phase with "number": ${dependency.value}.`,
      });
    }
  }
  return findings;
}

/** A cycle `[3, 5, 4, 3]` in words: "3 depends on 5, 5 depends on 4, and 4 depends on 3". */
function describeCycle(cycle: number[]): string {
  const links = cycle.slice(0, -1).map((number, i) => `${number} depends on ${cycle[i + 1]}`);
  return links.length === 1 ? links[0] : `${links.slice(0, -1).join(', ')} and ${links[links.length - 1]}`;
}

/** Reports each dependency cycle once, at the dependency of its lowest-numbered phase. */
function cycleFindings(byNumber: Map<number, PhaseEntry>): Finding[] {
  const knownDependencies = new Map<number, number[]>();
  for (const [number, entry] of byNumber) {
    const known = new Set<number>();
    for (const { value } of entry.dependencies) if (value !== number && byNumber.has(value)) known.add(value);
    knownDependencies.set(number, [...known]);
  }
  return findDependencyCycles([...byNumber.keys()], (n) => knownDependencies.get(n)!).map((cycle) => {
    const [first, second] = cycle;
    const entry = byNumber.get(first)!;
    const dependencyIndex = entry.dependencies.find((d) => d.value === second)!.index;
    return {
      path: `phases[${entry.index}].dependencies[${dependencyIndex}]`,
      message: `Dependency cycle: ${describeCycle(cycle)}; these phases can never start.`,
      hint: `Remove one dependency of the cycle, most likely phase ${entry.label} depending on the later phase ${byNumber.get(second)!.label}.`,
    };
  });
}

/**
 * Checks one phase's planned files (listed or predicted) for unsafe paths, duplicates and context files,
 * and adds the acceptable ones to `occurrences` for the collision check.
 */
function checkPlannedFiles(
  entry: PhaseEntry,
  context: Set<string>,
  mergeable: ReadonlySet<string>,
  planFileName: string,
  findings: Finding[],
  occurrences: PathOccurrence[],
): void {
  const base = `phases[${entry.index}]`;
  const owner = `phase ${entry.label}`;
  if (entry.record.plannedFiles !== undefined) {
    checkPathList(entry.record.plannedFiles, `${base}.plannedFiles`, planFileName, findings, occurrences, owner, context);
    return;
  }
  for (const file of predictedFilesOf(entry.record, mergeable)) {
    if (!context.has(file)) {
      occurrences.push({ path: file, where: `${base}.plannedFiles`, owner, predicted: true });
      continue;
    }
    findings.push({
      path: `${base}.plannedFiles`,
      message: `Phase ${entry.label} has no plannedFiles, and its predicted file "${file}" is a shared context file, which is read-only.`,
      hint: 'List "plannedFiles" explicitly for this phase, or remove the file from "context".',
    });
  }
}

/**
 * Checks a list of paths (context or plannedFiles): unsafe paths, duplicates after normalisation,
 * and (for plannedFiles) entries that are read-only context files. Returns the valid normalised paths
 * and adds each entry that passed to `occurrences`, owned by `owner`.
 */
function checkPathList(
  value: unknown,
  path: string,
  planFileName: string,
  findings: Finding[],
  occurrences: PathOccurrence[],
  owner: string,
  readOnly: Set<string> = new Set(),
): Set<string> {
  const seen = new Map<string, number>();
  if (!Array.isArray(value)) return new Set();
  value.forEach((raw, index) => {
    if (typeof raw !== 'string' || raw === '') return;
    const itemPath = `${path}[${index}]`;
    const issue = checkPlanPath(raw, planFileName);
    const normalized = normalizePlanPath(raw);
    if (issue) {
      findings.push({ path: itemPath, ...issue });
    } else if (seen.has(normalized)) {
      findings.push({
        path: itemPath,
        message: `${describePath(raw, normalized)} is already listed at ${path}[${seen.get(normalized)}].`,
        hint: 'Remove the duplicate entry.',
      });
    } else if (readOnly.has(normalized)) {
      seen.set(normalized, index);
      findings.push({
        path: itemPath,
        message: `"${normalized}" is a shared context file, which is read-only for every phase.`,
        hint: 'Remove it from plannedFiles, or remove it from "context" if this phase produces it.',
      });
    } else {
      seen.set(normalized, index);
      occurrences.push({ path: normalized, where: itemPath, owner, predicted: false });
    }
  });
  return new Set(seen.keys());
}

/** `"src/a.ts"`, or `"./src//a.ts" (normalised "src/a.ts")` when normalisation changed it. */
function describePath(raw: string, normalized: string): string {
  return raw === normalized ? JSON.stringify(raw) : `${JSON.stringify(raw)} (normalised ${JSON.stringify(normalized)})`;
}

/** The declared mergeable files (normalised) of a possibly invalid `merge` value, for file prediction. */
function mergeableFilesOf(merge: unknown): Set<string> {
  if (!isRecord(merge)) return new Set();
  return new Set(Object.keys(merge).filter((file) => file !== '' && !checkPlanPath(file, 'phases.json')).map(normalizePlanPath));
}

/** The files `predictPhaseFiles` would give a phase record, or none when its fields are unusable. */
function predictedFilesOf(record: Record<string, unknown>, mergeable: ReadonlySet<string>): string[] {
  const { name, domain = DEFAULT_DOMAIN, features = [] } = record;
  const usable =
    typeof name === 'string' &&
    typeof domain === 'string' &&
    Array.isArray(features) &&
    features.every((feature) => typeof feature === 'string');
  return usable ? predictPhaseFiles({ name, domain, features: features as string[] }, mergeable) : [];
}

/** Reads the phase records of a document's `phases` value, tolerating wrong types. */
function readPhaseEntries(phases: unknown): PhaseEntry[] {
  if (!Array.isArray(phases)) return [];
  const entries: PhaseEntry[] = [];
  phases.forEach((record, index) => {
    if (!isRecord(record)) return;
    const number = Number.isInteger(record.number) ? (record.number as number) : undefined;
    // A name with a control character is reported by checkPhaseName; elsewhere it is shown escaped.
    const name = typeof record.name === 'string' ? ` (${describeControlCharacterIn(record.name) ? JSON.stringify(record.name) : record.name})` : '';
    const dependencies: PhaseEntry['dependencies'] = [];
    const listed: unknown[] = Array.isArray(record.dependencies) ? record.dependencies : [];
    listed.forEach((value, i) => {
      if (Number.isInteger(value)) dependencies.push({ index: i, value: value as number });
    });
    entries.push({ index, record, number, label: `${number ?? `phases[${index}]`}${name}`, dependencies });
  });
  return entries;
}

/** True for a plain JSON object. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
