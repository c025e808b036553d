import { ForbiddenEditError, MergeConflictError, shownValue } from './errors';
import { linesKey } from './line-keys';
import type { Contributor, ForbiddenEdit, LinesContribution, RecordedContribution } from './types';

/**
 * What a phase added to a `lines` file: the lines of its version that `base` lacks (trailing spaces and blank
 * lines do not count). A removed line is a forbidden edit, and so is a second value for a `NAME=` variable.
 */
export function extractLinesContribution(file: string, base: string | undefined, version: string): LinesContribution {
  const given = textLines(base ?? '');
  const kept = new Set(textLines(version));
  const edits: ForbiddenEdit[] = [];
  const keys = new Map(given.map((line) => [linesKey(line), line]));
  const lines: string[] = [];
  for (const line of kept) {
    if (given.includes(line)) continue;
    const known = keys.get(linesKey(line));
    if (known !== undefined) {
      edits.push({ entry: `line ${shownValue(line)}`, message: `gives ${linesKey(line)} a second value (it has ${shownValue(known)}).` });
      continue;
    }
    keys.set(linesKey(line), line);
    lines.push(line);
  }
  for (const line of given) {
    if (!kept.has(line)) edits.push({ entry: `line ${shownValue(line)}`, message: 'removed.' });
  }
  if (edits.length > 0) throw new ForbiddenEditError(file, 'lines', edits);
  return { strategy: 'lines', lines };
}

/**
 * Merges contributions into one text, one line each, in phase-number order then each phase's own order, without
 * repeats. Two different lines for the same `NAME=` variable throw `MergeConflictError`.
 */
export function mergeLinesContributions(file: string, recorded: readonly RecordedContribution[]): string {
  const merged: string[] = [];
  const byKey = new Map<string, { line: string; by: Contributor }>();
  for (const { by, contribution } of [...recorded].sort((a, b) => a.by.number - b.by.number)) {
    for (const line of (contribution as LinesContribution).lines) {
      const known = byKey.get(linesKey(line));
      if (known === undefined) {
        byKey.set(linesKey(line), { line, by });
        merged.push(line);
      } else if (known.line !== line) {
        throw new MergeConflictError(file, linesKey(line), { by: known.by, value: shownValue(known.line) }, { by, value: shownValue(line) });
      }
    }
  }
  return merged.length === 0 ? '' : `${merged.join('\n')}\n`;
}

/** The non-blank lines of a text without trailing whitespace, without repeats, in order. */
export function textLines(text: string): string[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
  return [...new Set(lines)];
}
