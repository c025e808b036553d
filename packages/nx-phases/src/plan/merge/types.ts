import type { MergeStrategy } from '../types';
import type { JsonNumber } from './json-number';

/** The merge strategies, in the order they are listed to users. */
export const MERGE_STRATEGIES: readonly MergeStrategy[] = ['json', 'lines', 'regions'];

/** A JSON scalar: what arrays merged as a set may hold (numbers keep the literal they were written with). */
export type JsonScalar = string | JsonNumber | boolean | null;

/** Any JSON value. */
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

/**
 * One addition to a JSON file, at a key path from the top-level object:
 * `object` makes sure an object exists there, `set` adds a key with a value (a scalar, or an array holding
 * objects or arrays, which is compared as a whole), `union` adds scalars to an array merged as a set.
 */
export type JsonEntry =
  | { op: 'object'; path: string[] }
  | { op: 'set'; path: string[]; value: JsonValue }
  | { op: 'union'; path: string[]; values: JsonScalar[] };

/** What one phase added to a file merged as `json`, in the phase's own order. */
export interface JsonContribution {
  strategy: 'json';
  entries: JsonEntry[];
}

/** What one phase added to a file merged as `lines`: new lines, in the phase's own order. */
export interface LinesContribution {
  strategy: 'lines';
  lines: string[];
}

/** Lines one phase added to one named region. */
export interface RegionLines {
  name: string;
  lines: string[];
}

/**
 * What one phase added to a file merged as `regions`. The phase that creates the file also records its
 * `skeleton`: the whole text with every region emptied (the text outside the regions and the markers).
 */
export interface RegionsContribution {
  strategy: 'regions';
  skeleton?: string;
  regions: RegionLines[];
}

/** What one phase added to one mergeable file. */
export type Contribution = JsonContribution | LinesContribution | RegionsContribution;

/** The phase a contribution comes from, for ordering (by number) and messages. */
export interface Contributor {
  number: number;
  name: string;
}

/** A contribution together with the phase that recorded it. */
export interface RecordedContribution {
  by: Contributor;
  contribution: Contribution;
}

/** One edit a phase may not make to a mergeable file: the entry it touched and what it did. */
export interface ForbiddenEdit {
  /** The entry, e.g. `dependencies.react`, `line "API_URL=…"` or `region "routes"`. */
  entry: string;
  /** What the phase did, as one sentence. */
  message: string;
}

/** `Phase 4 (Cart)`, the label messages use for a contributor. */
export function contributorLabel(by: Contributor): string {
  return `Phase ${by.number} (${by.name})`;
}
