import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScriptStep, TestFile } from '../../../nx-phases/src/test-utils/openai-test-server';
import { distinctiveFile, phaseHeading } from './openai-server';
import type { PhaseDocument } from './plan-file';

/** Usage the executor records in a phase's manifest. */
export interface ManifestUsage {
  calls: number;
  retries: number;
  promptTokens: number;
  completionTokens: number;
  waitMs: number;
}

/** The files the test server answers for a phase: one distinctive file per planned path. */
export function serverFilesOf(phase: PhaseDocument): TestFile[] {
  return (phase.plannedFiles ?? []).map((path) => distinctiveFile(path, phase.number));
}

/** A scripted 200 reply with `serverFilesOf(phase)`, used only by that phase's request. */
export function okStepFor(phase: PhaseDocument): ScriptStep {
  return { kind: 'ok', match: phaseHeading(phase.number, phase.name), files: serverFilesOf(phase) };
}

/**
 * What differs between the files the server returned for a phase and what the phase committed
 * (the live file and the phase's record copy, byte for byte; the manifest's file list); empty when they match.
 */
export function commitMismatches(appRoot: string, phase: PhaseDocument, files: TestFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const expected = Buffer.from(file.content, 'utf8');
    for (const path of [join(appRoot, file.path), join(appRoot, '.phases', String(phase.number), 'files', file.path)]) {
      if (!existsSync(path)) problems.push(`${path} is missing`);
      else if (!readFileSync(path).equals(expected)) problems.push(`${path} differs from the server's reply`);
    }
  }
  const manifest = join(appRoot, '.phases', String(phase.number), 'manifest.json');
  if (!existsSync(manifest)) return [...problems, `${manifest} is missing`];
  const listed = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).files ?? {}).sort();
  const returned = files.map((f) => f.path).sort();
  if (JSON.stringify(listed) !== JSON.stringify(returned)) problems.push(`manifest lists ${listed.join(', ')}, server returned ${returned.join(', ')}`);
  return problems;
}

/** The `usage` block of `<appRoot>/.phases/<n>/manifest.json`. */
export function manifestUsage(appRoot: string, phaseNumber: number): ManifestUsage {
  return JSON.parse(readFileSync(join(appRoot, '.phases', String(phaseNumber), 'manifest.json'), 'utf8')).usage as ManifestUsage;
}

/** Prints a labelled measurement so it shows in the test output (and in the report). */
export function reportMeasurement(label: string, values: unknown): void {
  console.log(`[nx-phases e2e measurement] ${label}: ${JSON.stringify(values)}`);
}
