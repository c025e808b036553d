import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { transitiveDependencies } from '../plan';
import type { Phase, PhasePlan } from '../plan/types';
import { walkFiles, type WalkedFile } from './file-walk';
import { sha256, stableStringify } from './hash';
import { readManifest } from './manifest';
import { isProcessDead } from './rate-limit/process-alive';
import { assertRealFilePath } from './real-path-check';
import type { DependencyOutput } from './phase-generator';
import { phaseManifestPath, phaseRecordFilesDir } from './record-paths';

/** A private folder holding exactly the plan's context plus the dependencies' recorded outputs. */
export interface Snapshot {
  root: string;
  /** The files present before generation, with their hashes. */
  files: Map<string, WalkedFile>;
  /** Content hash over every (path, sha256) pair. */
  hash: string;
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
  const prefix = `nx-phases-${source.plan.name}-${source.phase.number}-`;
  removeSnapshotsOfDeadProcesses(prefix);
  const root = mkdtempSync(join(tmpdir(), `${prefix}${process.pid}-`));
  try {
    copyContextFiles(source, root);
    const dependencies = overlayDependencyRecords(source, root);
    const files = walkFiles(root);
    return {
      root,
      files,
      hash: hashFileMap(files),
      dependencies,
      context: source.plan.context,
      dispose: () => rmSync(root, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Removes snapshots left behind by a phase process that was killed (SIGKILL gives it no chance to clean up). */
function removeSnapshotsOfDeadProcesses(prefix: string): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = name.startsWith(prefix) ? /^(\d+)-/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid && isProcessDead(Number(pid))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** Content hash of a walked folder. */
function hashFileMap(files: Map<string, WalkedFile>): string {
  return sha256(stableStringify([...files.values()].map((f) => [f.path, f.kind, f.hash])));
}

function copyContextFiles({ workspaceRoot, appRoot, plan }: SnapshotSource, root: string): void {
  for (const file of plan.context) {
    const from = join(workspaceRoot, appRoot, file);
    assertRealFilePath(join(workspaceRoot, appRoot), file, `Fix: make it a real file in the app root, or remove "${file}" from "context" in ${appRoot}/phases.json.`);
    if (!existsSync(from)) {
      throw new SnapshotError(
        `Context file ${appRoot}/${file} does not exist. Create it, or remove "${file}" from "context" in ${appRoot}/phases.json.`,
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
    const manifest = readManifest(phaseManifestPath(workspaceRoot, appRoot, dep.number), label);
    const recordDir = phaseRecordFilesDir(workspaceRoot, appRoot, dep.number);
    for (const [file, expectedHash] of Object.entries(manifest.files)) {
      const content = readRecordedFile(join(recordDir, file), label, file);
      if (sha256(content) !== expectedHash) {
        throw new SnapshotError(
          `The record of ${label} is corrupted: ${file} does not match its manifest. Re-run that phase with --skip-nx-cache.`,
        );
      }
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), content);
    }
    return { number: dep.number, name: dep.name, domain: dep.domain, features: dep.features, files: Object.keys(manifest.files).sort() };
  });
}

function readRecordedFile(path: string, label: string, file: string): Buffer {
  if (!existsSync(path)) {
    throw new SnapshotError(`The record of ${label} lacks ${file}. Re-run that phase with --skip-nx-cache.`);
  }
  return readFileSync(path);
}
