import { createHash } from 'node:crypto';
import { parsePlanText, type LoadedPlan } from '../../load-plan';
import { TempWorkspace } from '../../../test-utils/temp-workspace';
import { validManifest } from '../../../test-utils/manifest';

/** Planned files and a name for a phase of the test plan. */
export interface TestPhase {
  number: number;
  name?: string;
  dependencies?: number[];
  plannedFiles: string[];
}

/** sha256 of a text, in hex (computed here, not with the code under test). */
export function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A temp workspace with one plan at apps/app, whose phase records (manifest.json and contributions.json) are
 * written by hand, so the runtime merge reads exactly what a commit, a person or a shared cache left there.
 */
export class MergeApp {
  readonly ws = new TempWorkspace();
  readonly appRoot = 'apps/app';
  readonly loaded: LoadedPlan;

  constructor(merge: Record<string, string>, phases: TestPhase[]) {
    const text = JSON.stringify({ name: 'shop', merge, phases: phases.map((p) => ({ name: `P${p.number}`, ...p })) }, null, 2);
    this.ws.write('apps/app/phases.json', text);
    this.loaded = parsePlanText(text, 'apps/app/phases.json');
  }

  get plan() {
    return this.loaded.plan;
  }

  /** The plan's phase by number. */
  phase(number: number) {
    return this.plan.phases.find((p) => p.number === number)!;
  }

  /**
   * Writes phase `number`'s record: contributions.json holding `contributions` (two-space JSON) and a manifest whose
   * `contributions` hashes are `hashes` (default: the sha256 of each contribution's stable JSON, as a commit writes).
   */
  record(number: number, contributions: Record<string, unknown>, hashes: Record<string, string> = hashesOf(contributions)): void {
    const phase = this.phase(number);
    const manifest = validManifest({ plan: 'shop', phase: { number, name: phase.name }, ...(Object.keys(hashes).length > 0 ? { contributions: hashes } : {}) });
    this.ws.write(`apps/app/.phases/${number}/manifest.json`, manifest);
    if (Object.keys(contributions).length > 0) this.ws.write(`apps/app/.phases/${number}/contributions.json`, contributions);
  }

  /** Writes a file of the app (apps/app/<path>). */
  write(path: string, content: string | object): void {
    this.ws.write(`${this.appRoot}/${path}`, content);
  }

  /** Reads a file of the app (apps/app/<path>). */
  read(path: string): string {
    return this.ws.read(`${this.appRoot}/${path}`);
  }

  /** True when apps/app/<path> exists. */
  exists(path: string): boolean {
    return this.ws.exists(`${this.appRoot}/${path}`);
  }

  dispose(): void {
    this.ws.dispose();
  }
}

/** The hashes a commit records: sha256 of the stable JSON (keys sorted at every level) of each contribution. */
export function hashesOf(contributions: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(contributions).map(([file, contribution]) => [file, sha(sortedJson(contribution))]));
}

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`)
    .join(',')}}`;
}
