import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonDepthError, MAX_JSON_DEPTH, mergeStrategyOf, parseJsonLossless, readContribution, stableJson, writeJson, type Contribution } from '../../plan';
import type { Phase, PhasePlan } from '../../plan/types';
import { sha256 } from '../hash';
import type { PhaseManifest } from '../manifest';
import { assertRealFilePath } from '../real-path-check';
import { phaseContributionsPathInApp, phaseRecordRoot } from '../record-paths';

/** A phase's contributions, by mergeable file. */
export type PhaseContributions = Map<string, Contribution>;

/** Thrown when a phase's recorded contributions are missing, malformed or do not match its manifest. */
export class ContributionRecordError extends Error {}

/**
 * The `contributions.json` text of a phase: files sorted, two-space JSON with number literals as the phase wrote
 * them, final newline (the same bytes for the same contributions).
 */
export function contributionsText(contributions: PhaseContributions): string {
  const sorted = [...contributions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${writeJson(Object.fromEntries(sorted), '  ')}\n`;
}

/** sha256 of a contribution's stable JSON (keys sorted, number literals as written): what manifests record. */
export function hashContribution(contribution: unknown): string {
  return sha256(stableJson(contribution));
}

/** The manifest's `contributions` field: file → sha256 of the contribution. */
export function contributionHashes(contributions: PhaseContributions): Record<string, string> {
  return Object.fromEntries([...contributions].map(([file, contribution]) => [file, hashContribution(contribution)]));
}

/** How deep a contributions.json may nest: a merged file's limit plus the record's own levels (file, entries, entry). */
const RECORD_DEPTH = MAX_JSON_DEPTH + 4;

/** Where a phase's record is, and what the plan says about it. */
export interface ContributionSource {
  workspaceRoot: string;
  appRoot: string;
  plan: PhasePlan;
  phase: Phase;
  manifest: PhaseManifest;
}

/**
 * Reads and checks a committed phase's contributions. Records are untrusted (a commit or a shared cache may have
 * written them): the manifest (validated by `readManifest`, path rule included) must list every file, each a
 * mergeable file this phase plans, with the hash of its contribution; the record file is read through real folders only.
 */
export function readPhaseContributions(source: ContributionSource): PhaseContributions {
  const { workspaceRoot, appRoot, phase } = source;
  const label = `Phase ${phase.number} (${phase.name})`;
  const fail = (problem: string): never => {
    throw new ContributionRecordError(
      `The record of ${label} is not valid: ${problem} Fix: delete ${phaseRecordRoot(appRoot, phase.number)} and re-run that phase with --skip-nx-cache.`,
    );
  };
  const expected = expectedHashes(source, fail);
  if (expected.size === 0) return new Map();
  const relative = phaseContributionsPathInApp(phase.number);
  assertRealFilePath(join(workspaceRoot, appRoot), relative, `Fix: delete ${phaseRecordRoot(appRoot, phase.number)} and re-run ${label} with --skip-nx-cache.`);
  const path = join(workspaceRoot, appRoot, relative);
  if (!existsSync(path)) return fail(`its manifest lists contributions, but ${relative} is missing.`);
  let data: unknown;
  try {
    data = parseJsonLossless(readFileSync(path, 'utf8'), RECORD_DEPTH);
  } catch (error) {
    const problem = error instanceof JsonDepthError ? error.message : `it is not valid JSON (${(error as Error).message})`;
    return fail(`${relative} cannot be read: ${problem}.`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail(`${relative} is not a JSON object.`);
  const record = data as Record<string, unknown>;
  const contributions: PhaseContributions = new Map();
  for (const file of Object.keys(record)) {
    if (!expected.has(file)) fail(`${relative} holds a contribution to ${JSON.stringify(file)}, which its manifest does not list.`);
  }
  for (const [file, hash] of expected) {
    if (!Object.prototype.hasOwnProperty.call(record, file)) fail(`${relative} lacks the contribution to ${JSON.stringify(file)} its manifest lists.`);
    if (hashContribution(record[file]) !== hash) fail(`the contribution to ${JSON.stringify(file)} does not match its manifest.`);
    contributions.set(file, readContribution(file, phase, record[file]));
  }
  return contributions;
}

/**
 * The manifest's `contributions` (file → hash). `readManifest` already checked the shape, the path rule and the
 * hashes; here each file must also be a mergeable file of the plan that this phase plans.
 */
function expectedHashes({ plan, phase, manifest }: ContributionSource, fail: (problem: string) => never): Map<string, string> {
  const expected = new Map(Object.entries(manifest.contributions ?? {}));
  for (const file of expected.keys()) {
    if (!mergeStrategyOf(plan, file) || !phase.plannedFiles.includes(file)) {
      fail(`its manifest lists a contribution to ${JSON.stringify(file)}, which is not a mergeable file this phase plans.`);
    }
  }
  return expected;
}

/** True when the phase's recorded contributions are intact (see `readPhaseContributions`); false on any doubt. */
export function contributionsIntact(source: ContributionSource): boolean {
  try {
    readPhaseContributions(source);
    return true;
  } catch {
    return false;
  }
}
