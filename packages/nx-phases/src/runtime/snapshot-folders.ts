import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from './hash';
import { isProcessDead } from './rate-limit/process-alive';

/** Short tag of this machine, so a folder names the host whose process owns it. */
const HOST_TAG = sha256(hostname()).slice(0, 8);

/**
 * Creates the snapshot folder of one phase run in the OS temp folder, named
 * `nx-phases-<plan>.<phase>.<host>.<pid>-XXXXXX`. Plan names match `[a-z][a-z0-9-]*`, so the dots make plan,
 * phase, host and owner unambiguous: plan `x` phase 1 never matches plan `x-1`'s folders.
 */
export function createSnapshotFolder(planName: string, phaseNumber: number): string {
  return createPhaseTempFolder(planName, phaseNumber);
}

/**
 * A private temp folder of this phase process (a command's context file, a sandbox's HOME and TMPDIR), named like
 * a snapshot folder so that the same sweep removes it when the process was killed before it could.
 */
export function createPhaseTempFolder(planName: string, phaseNumber: number): string {
  return mkdtempSync(join(tmpdir(), snapshotFolderPrefix(planName, phaseNumber, process.pid)));
}

/** `nx-phases-<plan>.<phase>.<host>.<pid>-`: the name of a snapshot folder before its random part. */
export function snapshotFolderPrefix(planName: string, phaseNumber: number, pid: number): string {
  return `nx-phases-${planName}.${phaseNumber}.${HOST_TAG}.${pid}-`;
}

/**
 * Removes the snapshot folders of `planName` (of one phase, or of all) left by processes of this host that
 * provably no longer exist (SIGKILL gives a phase no chance to clean up). Folders of living processes, of other
 * hosts sharing the temp folder, and of other plans are never touched.
 */
export function removeSnapshotsOfDeadProcesses(planName: string, phaseNumber?: number): void {
  const pattern = new RegExp(`^nx-phases-${planName}\\.(\\d+)\\.${HOST_TAG}\\.(\\d+)-[A-Za-z0-9]+$`);
  for (const name of readdirSync(tmpdir())) {
    const match = pattern.exec(name);
    if (!match || (phaseNumber !== undefined && Number(match[1]) !== phaseNumber)) continue;
    if (isProcessDead(Number(match[2]))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}
