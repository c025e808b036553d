import { filesystemKey } from './paths';
import type { Finding } from './schema-validate';

/** The owner label used for context entries. */
export const SHARED_CONTEXT = 'the shared context';

/** One valid, normalised path listed in `context` or planned (listed or predicted) by a phase. */
export interface PathOccurrence {
  /** The normalised, app-root-relative path. */
  path: string;
  /** JSON path of the entry, e.g. `phases[1].plannedFiles[0]`; `phases[1].plannedFiles` for a predicted file. */
  where: string;
  /** Who lists it: `the shared context` or `phase 2 (Auth)`. */
  owner: string;
  /** True for a file predicted because the phase has no `plannedFiles`. */
  predicted: boolean;
}

/** The first spelling of a folder and the occurrence that used it. */
interface FolderSpelling {
  spelling: string;
  occurrence: PathOccurrence;
}

/** Lower-cased file and folder paths of a plan, each with its first spelling, and what may collide. */
interface PathIndex {
  files: Map<string, PathOccurrence>;
  folders: Map<string, FolderSpelling>;
  /** Lower-cased folders spelled in more than one way. */
  mixedFolders: Set<string>;
  /** True when some file is spelled in more than one way. */
  mixedFiles: boolean;
}

/**
 * Finds paths that would collide on disk: a path used as a file by one entry and as a folder by another
 * (EISDIR/ENOTDIR at commit time), and files or folders spelled differently only in case (the same on macOS
 * and Windows). The first occurrence in document order is the reference; each later offender is reported
 * once, at its own JSON path. Linear in the total length of all paths; a plan without collisions is read once.
 */
export function findPathCollisions(occurrences: PathOccurrence[]): Finding[] {
  const index = indexPaths(occurrences);
  const overlaps = [...index.folders.keys()].some((folder) => index.files.has(folder));
  if (!index.mixedFiles && index.mixedFolders.size === 0 && !overlaps) return [];
  const findings: Finding[] = [];
  for (const occurrence of occurrences) {
    const finding = collisionOf(occurrence, index);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** Indexes every file and folder by its lower-cased path, recording spellings that differ only in case. */
function indexPaths(occurrences: PathOccurrence[]): PathIndex {
  const index: PathIndex = { files: new Map(), folders: new Map(), mixedFolders: new Set(), mixedFiles: false };
  for (const occurrence of occurrences) {
    const first = index.files.get(lowerCase(occurrence.path));
    if (first === undefined) index.files.set(lowerCase(occurrence.path), occurrence);
    else if (first.path !== occurrence.path) index.mixedFiles = true;
    // Deepest folder first: a folder already known with this exact spelling had its ancestors indexed then.
    for (const folder of folderPrefixes(occurrence.path).reverse()) {
      const key = lowerCase(folder);
      const known = index.folders.get(key);
      if (known === undefined) index.folders.set(key, { spelling: folder, occurrence });
      else if (known.spelling === folder) break;
      else index.mixedFolders.add(key);
    }
  }
  return index;
}

/** The first collision of one occurrence: a case-only file spelling, a file used as a folder, or a case-only folder spelling. */
function collisionOf(occurrence: PathOccurrence, { files, folders, mixedFolders }: PathIndex): Finding | undefined {
  const first = files.get(lowerCase(occurrence.path))!;
  if (first.path !== occurrence.path) return caseFinding(occurrence, occurrence.path, first.path, first, 'file');
  const prefixes = folderPrefixes(occurrence.path);
  for (const folder of prefixes) {
    const file = files.get(lowerCase(folder));
    if (file) return overlapFinding(occurrence, folder, file);
  }
  for (const folder of prefixes) {
    const key = lowerCase(folder);
    if (!mixedFolders.has(key)) continue;
    const known = folders.get(key)!;
    if (known.spelling !== folder) return caseFinding(occurrence, folder, known.spelling, known.occurrence, 'folder');
  }
  return undefined;
}

/** Reports `occurrence` using `folder` as a folder while `file` plans that path as a file. */
function overlapFinding(occurrence: PathOccurrence, folder: string, file: PathOccurrence): Finding {
  const other =
    file.owner === SHARED_CONTEXT
      ? `${JSON.stringify(file.path)} is a shared context file (${file.where})`
      : `${file.owner} plans ${JSON.stringify(file.path)} as a file (${describeWhere(file)})`;
  return {
    path: occurrence.where,
    message: `${subject(occurrence)} uses ${JSON.stringify(folder)} as a folder, but ${other}.`,
    hint: `Rename one of them: ${JSON.stringify(file.path)} (${describeWhere(file)}) or ${JSON.stringify(occurrence.path)}; a path cannot be both a file and a folder.${predictedHint(occurrence)}`,
  };
}

/** Reports `spelling` (a file or folder of `occurrence`) differing only in case from `reference`, first used by `first`. */
function caseFinding(
  occurrence: PathOccurrence,
  spelling: string,
  reference: string,
  first: PathOccurrence,
  kind: 'file' | 'folder',
): Finding {
  const what =
    kind === 'file'
      ? `${subject(occurrence)} differs only in ${howTheyDiffer(spelling, reference)} from ${JSON.stringify(reference)} (${describeWhere(first)})`
      : `${subject(occurrence)} uses the folder ${JSON.stringify(spelling)}, which differs only in ${howTheyDiffer(spelling, reference)} from ${JSON.stringify(reference)} in ${JSON.stringify(first.path)} (${describeWhere(first)})`;
  // Windows ignores case but not Unicode normalization; macOS ignores both.
  const systems = spelling.toLowerCase() === reference.toLowerCase() ? 'macOS and Windows' : 'macOS';
  return {
    path: occurrence.where,
    message: `${what}; use one spelling.`,
    hint: `${systems} treat${systems === 'macOS' ? 's' : ''} both as the same ${kind}: write ${JSON.stringify(reference)} everywhere in the plan.${predictedHint(occurrence)}`,
  };
}

/** `case`, `Unicode normalization (NFC/NFD)` or both: what tells two same-file spellings apart. */
function howTheyDiffer(spelling: string, reference: string): string {
  const normalization = 'Unicode normalization (NFC/NFD)';
  if (spelling.normalize('NFC') === reference.normalize('NFC')) return normalization;
  return spelling.toLowerCase() === reference.toLowerCase() ? 'case' : `case and ${normalization}`;
}

/** `"src/a.ts"`, or `The predicted file "src/a.ts"` for a predicted one. */
function subject(occurrence: PathOccurrence): string {
  return occurrence.predicted ? `The predicted file ${JSON.stringify(occurrence.path)}` : JSON.stringify(occurrence.path);
}

/** The JSON path, marked when the file was predicted. */
function describeWhere(occurrence: PathOccurrence): string {
  return occurrence.predicted ? `predicted for ${occurrence.where}` : occurrence.where;
}

/** Extra advice when the offender was predicted: the user can only change it by listing files. */
function predictedHint(occurrence: PathOccurrence): string {
  return occurrence.predicted ? ' This phase has no plannedFiles; list them explicitly to choose other names.' : '';
}

/** The key paths are compared by: case- and Unicode-normalization-insensitive, as macOS (and, for case, Windows) compare names. */
function lowerCase(path: string): string {
  return filesystemKey(path);
}

/** Every folder above a path, shortest first: `a/b/c.ts` → `a`, `a/b`. */
function folderPrefixes(path: string): string[] {
  const prefixes: string[] = [];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) prefixes.push(path.slice(0, slash));
  return prefixes;
}
