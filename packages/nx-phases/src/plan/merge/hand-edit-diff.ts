import type { MergeStrategy } from '../types';
import { shownValue } from './errors';
import { hasKey, isJsonObject, jsonEqual, keyPathText } from './json-values';
import { parseJsonLossless } from './json-text';
import type { JsonValue } from './types';

/** How many differences a message lists before "… and N more". */
const SHOWN_DIFFERENCES = 5;

/**
 * What a hand-edited merged file has that the merge would not write, as lines for a message: for `json`, the key
 * paths added, removed or changed (number literals compared as written); for `lines` and `regions`, the lines
 * added and removed; "only the layout differs" when the content is the same. `current` is the app's file,
 * `merged` what the merge would write.
 */
export function describeHandEdit(strategy: MergeStrategy, current: string, merged: string): string[] {
  const differences = strategy === 'json' ? jsonDifferences(current, merged) : lineDifferences(current, merged);
  if (differences.length === 0) return ['only the layout differs (spacing, order or line endings; the content is the same)'];
  const shown = differences.slice(0, SHOWN_DIFFERENCES);
  return differences.length > shown.length ? [...shown, `… and ${differences.length - shown.length} more`] : shown;
}

function jsonDifferences(current: string, merged: string): string[] {
  let edited: JsonValue;
  try {
    edited = parseJsonLossless(current);
  } catch (error) {
    return [`it is not valid JSON any more (${(error as Error).message.replace(/\.$/, '')})`];
  }
  const differences: string[] = [];
  compare(parseJsonLossless(merged), edited, [], differences);
  return differences;
}

/** Walks the merged value and the edited one together (both parsed within the depth limit, so recursion is bounded). */
function compare(merged: JsonValue, edited: JsonValue, path: string[], differences: string[]): void {
  if (isJsonObject(merged) && isJsonObject(edited)) {
    for (const key of Object.keys(edited)) {
      if (!hasKey(merged, key)) differences.push(`added ${keyPathText([...path, key])}: ${shownValue(edited[key])}`);
      else compare(merged[key], edited[key], [...path, key], differences);
    }
    for (const key of Object.keys(merged)) {
      if (!hasKey(edited, key)) differences.push(`removed ${keyPathText([...path, key])} (the merge writes ${shownValue(merged[key])})`);
    }
  } else if (!jsonEqual(merged, edited)) {
    differences.push(`changed ${keyPathText(path)} to ${shownValue(edited)} (the merge writes ${shownValue(merged)})`);
  }
}

function lineDifferences(current: string, merged: string): string[] {
  const edited = splitLines(current);
  const written = splitLines(merged);
  const writtenSet = new Set(written);
  const editedSet = new Set(edited);
  return [
    ...edited.filter((line) => !writtenSet.has(line)).map((line) => `added line ${shownValue(line)}`),
    ...written.filter((line) => !editedSet.has(line)).map((line) => `removed line ${shownValue(line)}`),
  ];
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}
