import type { AttemptSegment, CheckRecord } from './pipeline/state';
import type { PhaseCost } from '../cost';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { MANIFEST_FILE } from '../constants';
import type { ResolvedGenerator } from '../plan/types';
import { assertJsonTextDepth, JsonDepthError } from '../plan/json-depth';
import type { GeneratorUsage, PhaseWait } from './phase-generator';
import { manifestProblems } from './manifest-checks';
import { formatProblemList } from './problem-list';
import { assertRealFilePath } from './real-path-check';
import { phaseRecordPathInApp, phaseRecordRoot } from './record-paths';

/** What a committed phase records about itself in `<appRoot>/.phases/<n>/manifest.json`. */
export interface PhaseManifest {
  plan: string;
  phase: { number: number; name: string };
  /** App-root-relative path → sha256 of the committed content. */
  files: Record<string, string>;
  /** The files (keys of `files`) committed executable (mode 0755); absent when there are none. */
  executable?: string[];
  features: string[];
  snapshotHash: string;
  /**
   * The executor's `fingerprint` option when the phase was generated (optional: older manifests and
   * hand-written targets have none). With `snapshotHash` it decides whether the result may be reused.
   */
  fingerprint?: string;
  generator: ResolvedGenerator;
  durationMs: number;
  usage: GeneratorUsage;
  /** What the generator's calls cost: usage × the price of the model, with the price table's date; absent when it reported no cost (no LLM calls). */
  cost?: PhaseCost;
  /** Rate-limit waits and retries during the run that committed this (timing, like `durationMs`); absent when none. */
  waits?: PhaseWait[];
  warnings: string[];
  /**
   * Each run of the phase's check for this result, in order (attempt 1 = the first generation, then one per repair;
   * the last passed); `durationMs` is timing. Absent when no check applies to the phase.
   */
  checks?: CheckRecord[];
  /** When each attempt generated (or repaired) and checked, in ms from the run's start (timing); present with `checks`. */
  segments?: AttemptSegment[];
  /**
   * Mergeable files the phase added to → sha256 of its contribution (stored in `contributions.json` next to the
   * manifest); absent when it added to none.
   */
  contributions?: Record<string, string>;
}

/** Where a phase's record lives: the absolute workspace root, the workspace-relative app root and the phase number. */
export interface RecordLocation {
  workspaceRoot: string;
  appRoot: string;
  phaseNumber: number;
}

/** An error raised when a dependency's record is missing or does not match its manifest. */
export class MissingRecordError extends Error {}

/** Thrown when a manifest (from a commit, a pull request or the Nx cache) breaks the manifest rules; names the file and the fix. */
export class ManifestError extends Error {}

/**
 * Reads and validates a phase's manifest, or throws `MissingRecordError` telling the user which phase to run.
 * Throws `ManifestError` when the manifest is unreadable, has the wrong shape, holds a path that breaks the path
 * rule, or is reached through a symlinked `.phases` folder.
 */
export function readManifest(location: RecordLocation, phaseLabel: string): PhaseManifest {
  const manifest = readPreviousManifest(location);
  if (!manifest) {
    throw new MissingRecordError(
      `${phaseLabel} has no committed output (${manifestFile(location)} is missing). Run its "phase" target first; Nx does this for you through dependsOn.`,
    );
  }
  return manifest;
}

/** The validated manifest a phase committed earlier, or undefined when there is none; throws `ManifestError` like `readManifest`. */
export function readPreviousManifest(location: RecordLocation): PhaseManifest | undefined {
  const appRootAbs = join(location.workspaceRoot, location.appRoot);
  const relative = phaseRecordPathInApp(location.phaseNumber, MANIFEST_FILE);
  try {
    assertRealFilePath(appRootAbs, relative, '');
  } catch (error) {
    throw manifestError(location, [(error as Error).message.trim()]);
  }
  const path = join(appRootAbs, relative);
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    assertJsonTextDepth(text);
    data = JSON.parse(text);
  } catch (error) {
    throw manifestError(location, [error instanceof JsonDepthError ? error.message : `it is not valid JSON (${(error as Error).message})`]);
  }
  const problems = manifestProblems(data);
  if (problems.length > 0) throw manifestError(location, problems);
  return data as PhaseManifest;
}

/** Zero usage, for generators that make no LLM calls. */
export function emptyUsage(): GeneratorUsage {
  return { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 };
}

function manifestError(location: RecordLocation, problems: string[]): ManifestError {
  const folder = phaseRecordRoot(location.appRoot, location.phaseNumber);
  return new ManifestError(
    `${manifestFile(location)} is not a valid nx-phases manifest, so nothing was read, written or deleted through it ` +
      `(it may have been edited by hand, by a commit or by a shared cache):\n${formatProblemList(problems, 5)}\n` +
      `Fix: delete the folder ${folder} (make sure ${posix.join(location.appRoot, '.phases')} is a real folder, not a symlink) ` +
      `and run phase ${location.phaseNumber} again with --skip-nx-cache.`,
  );
}

/** Workspace-relative path of the manifest, for messages. */
function manifestFile(location: RecordLocation): string {
  return posix.join(phaseRecordRoot(location.appRoot, location.phaseNumber), MANIFEST_FILE);
}
