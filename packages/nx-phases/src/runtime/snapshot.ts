import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transitiveDependencies } from '../plan';
import type { Phase, PhasePlan } from '../plan/types';
import { walkFiles, type WalkedFile } from './file-walk';
import { sha256, stableStringify } from './hash';
import { setExecutable } from './file-mode';
import { readManifest } from './manifest';
import { assertRealFilePath } from './real-path-check';
import type { DependencyOutput } from './phase-generator';
import { phaseRecordPathInApp, phaseRecordRoot } from './record-paths';
import { RECORD_FILES_DIR } from '../constants';
import { createSnapshotFolder, removeSnapshotsOfDeadProcesses } from './snapshot-folders';
import { overlayMergedFiles } from './merge/merged-snapshot';

/** A private folder holding exactly the plan's context plus the dependencies' recorded outputs. */
export interface Snapshot {
  root: string;
  /** The files present before generation, with their hashes. */
  files: Map<string, WalkedFile>;
  /** Content hash over every (path, sha256) pair, plus which dependency contributed what to the merged files. */
  hash: string;
  /** Mergeable file → the merged text the snapshot holds (what the phase's additions are measured against). */
  mergedBase: Map<string, string>;
  dependencies: DependencyOutput[];
  context: string[];
  /** Removes the folder. */
  dispose(): void;
}

/** Where a snapshot's inputs come from. */
export interface SnapshotSource {
  workspaceRoot: string;
  appRoot: string;
  plan: PhasePlan;
  phase: Phase;
}

/** Thrown when a snapshot input is missing or does not match its manifest. */
export class SnapshotError extends Error {}

/** Builds the phase's snapshot; never reads generated files from the live app folder. */
export function buildSnapshot(source: SnapshotSource): Snapshot {
  removeSnapshotsOfDeadProcesses(source.plan.name, source.phase.number);
  const root = createSnapshotFolder(source.plan.name, source.phase.number);
  try {
    copyContextFiles(source, root);
    const dependencies = overlayDependencyRecords(source, root);
    const merged = overlayMergedFiles(source, root);
    const files = walkFiles(root);
    return {
      root,
      files,
      hash: merged.attribution.length === 0 ? hashFileMap(files) : sha256(stableStringify([hashFileMap(files), merged.attribution])),
      mergedBase: merged.base,
      dependencies,
      context: source.plan.context,
      dispose: () => rmSync(root, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Content hash of a walked folder. */
function hashFileMap(files: Map<string, WalkedFile>): string {
  // The execute bit counts only when set, so snapshots without executables hash as before it was recorded.
  return sha256(stableStringify([...files.values()].map((f) => (f.executable ? [f.path, f.kind, f.hash, 'x'] : [f.path, f.kind, f.hash]))));
}

function copyContextFiles({ workspaceRoot, appRoot, plan }: SnapshotSource, root: string): void {
  for (const file of plan.context) {
    const from = join(workspaceRoot, appRoot, file);
    const shown = JSON.stringify(file);
    assertRealFilePath(join(workspaceRoot, appRoot), file, `Fix: make it a real file in the app root, or remove ${shown} from "context" in ${appRoot}/phases.json.`);
    if (!existsSync(from)) {
      throw new SnapshotError(
        `Context file ${JSON.stringify(`${appRoot}/${file}`)} does not exist. Create it, or remove ${shown} from "context" in ${appRoot}/phases.json.`,
      );
    }
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(from, join(root, file));
  }
}

function overlayDependencyRecords(source: SnapshotSource, root: string): DependencyOutput[] {
  const { workspaceRoot, appRoot, plan, phase } = source;
  const byNumber = new Map(plan.phases.map((p) => [p.number, p]));
  return transitiveDependencies(plan, phase.number).map((depNumber) => {
    const dep = byNumber.get(depNumber)!;
    const label = `Phase ${dep.number} (${dep.name})`;
    const manifest = readManifest({ workspaceRoot, appRoot, phaseNumber: dep.number }, label);
    const executable = new Set(manifest.executable ?? []);
    for (const [file, expectedHash] of Object.entries(manifest.files)) {
      const content = readRecordedFile(source, dep.number, file, label);
      if (sha256(content) !== expectedHash) {
        throw new SnapshotError(
          `The record of ${label} is corrupted: ${JSON.stringify(file)} does not match its manifest. Re-run that phase with --skip-nx-cache.`,
        );
      }
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), content);
      setExecutable(join(root, file), executable.has(file));
    }
    return { number: dep.number, name: dep.name, domain: dep.domain, features: dep.features, files: Object.keys(manifest.files).sort() };
  });
}

/** Reads one recorded file of a dependency, through real folders only (`.phases`, `.phases/<n>`, `files/`, …). */
function readRecordedFile({ workspaceRoot, appRoot }: SnapshotSource, phaseNumber: number, file: string, label: string): Buffer {
  const relative = phaseRecordPathInApp(phaseNumber, RECORD_FILES_DIR, file);
  const fix = `Fix: delete ${phaseRecordRoot(appRoot, phaseNumber)} and re-run ${label} with --skip-nx-cache.`;
  assertRealFilePath(join(workspaceRoot, appRoot), relative, fix);
  const path = join(workspaceRoot, appRoot, relative);
  if (!existsSync(path)) {
    throw new SnapshotError(`The record of ${label} lacks ${JSON.stringify(file)}. Re-run that phase with --skip-nx-cache.`);
  }
  return readFileSync(path);
}
