import type { DependencyOutput } from '../../runtime/phase-generator';
import { extractExportedSignatures } from './signatures';

/** A file of the phase's snapshot; `content` is null for binary files. */
export interface SnapshotFile {
  path: string;
  content: string | null;
}

/** How much of a file the prompt shows. */
export type FileView = 'full' | 'signatures' | 'path';

/** A snapshot file with what decides its place and its richest allowed view. */
export interface RankedFile extends SnapshotFile {
  /** 0 = the phase will modify it, 1 = plan context, 2 = written by a dependency, 3 = other. */
  tier: number;
  /** Index of the nearest dependency that wrote it (-1 if none); higher is nearer. */
  owner: number;
}

/** What shapes the ranking: the phase's planned files, its dependencies in dependency order, the plan's context. */
export interface RankingInput {
  plannedFiles: string[];
  dependencies: DependencyOutput[];
  context: string[];
}

/**
 * Order snapshot files by relevance: files the phase will modify, then the plan's context files,
 * then files written by dependencies (nearest dependency, i.e. latest in dependency order, first),
 * then anything else; ties by path (code-unit order, so the result never depends on locale).
 */
export function rankSnapshotFiles(files: SnapshotFile[], input: RankingInput): RankedFile[] {
  const planned = new Set(input.plannedFiles);
  const context = new Set(input.context);
  const owners = new Map<string, number>();
  input.dependencies.forEach((dependency, index) => dependency.files.forEach((file) => owners.set(file, index)));
  const ranked = files.map((file) => {
    const owner = owners.get(file.path) ?? -1;
    const tier = planned.has(file.path) ? 0 : context.has(file.path) ? 1 : owner >= 0 ? 2 : 3;
    return { ...file, tier, owner };
  });
  return ranked.sort((a, b) => a.tier - b.tier || b.owner - a.owner || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const SECTION_HEADING = '## Existing files\n';
const SECTION_INTRO =
  'Files you will modify are shown in full; other files as their exported API or as paths only, most relevant first.\n\n';
const EMPTY_SECTION = `${SECTION_HEADING}None yet: this phase starts from an empty app folder.\n\n`;
const PATHS_HEADING = '### Other files (paths only)\n';
const PATHS_END = '\n';
const OMITTED_RESERVE = '(999999 more files not shown, to fit maxContextTokens)\n\n';

/**
 * Render the "Existing files" section within `budgetTokens`, as `countTokens` counts them (the model's tokenizer). First every
 * path is listed (in rank order, as many as fit); then, in rank order, each file is upgraded to
 * its richest view that still fits: full text for files the phase will modify and for context
 * files, else exported signatures. Deterministic for the same files and budget.
 */
export function renderFileContext(ranked: RankedFile[], budgetTokens: number, countTokens: (text: string) => number): string {
  if (ranked.length === 0) return EMPTY_SECTION;
  let remaining =
    budgetTokens - countTokens(SECTION_HEADING + SECTION_INTRO) - countTokens(PATHS_HEADING + PATHS_END) - countTokens(OMITTED_RESERVE);
  const listed: RankedFile[] = [];
  for (const file of ranked) {
    const cost = countTokens(pathLine(file.path));
    if (cost > remaining) break;
    listed.push(file);
    remaining -= cost;
  }
  const views = new Map<string, string>();
  if (listed.length === ranked.length) {
    for (const file of listed) {
      const block = richestBlock(file, remaining + countTokens(pathLine(file.path)), countTokens);
      if (block === undefined) continue;
      views.set(file.path, block);
      remaining -= countTokens(block) - countTokens(pathLine(file.path));
    }
  }
  const pathsOnly = listed.filter((file) => !views.has(file.path));
  const omitted = ranked.length - listed.length;
  return [
    SECTION_HEADING,
    SECTION_INTRO,
    ...listed.filter((file) => views.has(file.path)).map((file) => views.get(file.path) as string),
    ...(pathsOnly.length ? [PATHS_HEADING, ...pathsOnly.map((file) => pathLine(file.path)), PATHS_END] : []),
    omitted ? `(${omitted} more files not shown, to fit maxContextTokens)\n\n` : '',
  ].join('');
}

/** The richest block allowed for the file's tier that costs at most `budget` tokens, if any. */
function richestBlock(file: RankedFile, budget: number, countTokens: (text: string) => number): string | undefined {
  if (file.content === null) return undefined;
  const candidates: Array<() => string | undefined> = [];
  if (file.tier <= 1) candidates.push(() => fullBlock(file));
  candidates.push(() => signatureBlock(file));
  for (const candidate of candidates) {
    const block = candidate();
    if (block !== undefined && countTokens(block) <= budget) return block;
  }
  return undefined;
}

function fullBlock(file: RankedFile): string {
  const label = file.tier === 0 ? 'you will modify this file; full text' : 'plan context; full text';
  return `### ${file.path} (${label})\n${fenced(file.content as string)}\n`;
}

function signatureBlock(file: RankedFile): string | undefined {
  const signatures = extractExportedSignatures(file.path, file.content as string);
  return signatures.length ? `### ${file.path} (exports)\n${fenced(signatures.join('\n'))}\n` : undefined;
}

/** Wrap text in a backtick fence longer than any backtick run inside it. */
function fenced(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}\n`;
}

function pathLine(path: string): string {
  return `- ${path}\n`;
}
