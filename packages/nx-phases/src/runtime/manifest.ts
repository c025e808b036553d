import { existsSync, readFileSync } from 'node:fs';
import type { ResolvedGenerator } from '../plan/types';
import type { GeneratorUsage } from './phase-generator';

/** What a committed phase records about itself in `<appRoot>/.phases/<n>/manifest.json`. */
export interface PhaseManifest {
  plan: string;
  phase: { number: number; name: string };
  /** App-root-relative path → sha256 of the committed content. */
  files: Record<string, string>;
  features: string[];
  snapshotHash: string;
  generator: ResolvedGenerator;
  durationMs: number;
  usage: GeneratorUsage;
  warnings: string[];
}

/** An error raised when a dependency's record is missing or does not match its manifest. */
export class MissingRecordError extends Error {}

/** Reads a manifest, or throws `MissingRecordError` telling the user which phase to run. */
export function readManifest(path: string, phaseLabel: string): PhaseManifest {
  if (!existsSync(path)) {
    throw new MissingRecordError(
      `${phaseLabel} has no committed output (${path} is missing). Run its "phase" target first; Nx does this for you through dependsOn.`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as PhaseManifest;
}

/** The manifest a phase committed on an earlier run, if any (unreadable counts as none). */
export function readPreviousManifest(path: string): PhaseManifest | undefined {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PhaseManifest) : undefined;
  } catch {
    return undefined;
  }
}

/** Zero usage, for generators that make no LLM calls. */
export function emptyUsage(): GeneratorUsage {
  return { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 };
}
