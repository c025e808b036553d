import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORD_FILES_DIR } from '../../constants';
import type { Phase, PhasePlan } from '../../plan/types';
import { contributionsIntact } from '../merge/contribution-record';
import { sha256 } from '../hash';
import { readPreviousManifest, type PhaseManifest, type RecordLocation } from '../manifest';
import { assertRealFilePath } from '../real-path-check';
import { phaseRecordPathInApp } from '../record-paths';

/** A phase's committed result, verified against its manifest, that may stand in for generating it again. */
export interface CommittedResult {
  manifest: PhaseManifest;
  /** App-root-relative path → the recorded content (its sha256 equals the manifest's). */
  contents: Map<string, Buffer>;
}

/** What the phase would now be generated from. */
export interface ReuseQuery {
  workspaceRoot: string;
  appRoot: string;
  phase: Phase;
  /** The executor's `fingerprint` option; without one nothing is ever reused. */
  fingerprint: string | undefined;
  /** Content hash of the snapshot the phase would now see. */
  snapshotHash: string;
  /** The plan, to check the phase's recorded contributions to mergeable files. */
  plan: PhasePlan;
}

/**
 * The phase's committed result when it was produced from exactly these inputs: its manifest records the same
 * fingerprint and snapshot hash, every file it lists is one the phase plans, every record file is a regular
 * file (reached through real folders) whose content matches the manifest's hash, and so are its recorded
 * contributions to mergeable files (which stay in place: the plan's aggregate target merges them). Anything else, including an
 * unreadable or hostile record, gives `undefined`: the phase is generated again, never reused on doubt.
 */
export function findCommittedResult(query: ReuseQuery): CommittedResult | undefined {
  const { workspaceRoot, appRoot, phase, fingerprint, snapshotHash } = query;
  if (!fingerprint) return undefined;
  const manifest = readValidManifest({ workspaceRoot, appRoot, phaseNumber: phase.number });
  if (!manifest || manifest.fingerprint !== fingerprint || manifest.snapshotHash !== snapshotHash) return undefined;
  if (manifest.phase.number !== phase.number) return undefined;
  const planned = new Set(phase.plannedFiles);
  const appRootAbs = join(workspaceRoot, appRoot);
  const contents = new Map<string, Buffer>();
  for (const [file, expectedHash] of Object.entries(manifest.files)) {
    if (!planned.has(file)) return undefined;
    const content = readRecordedFile(appRootAbs, phaseRecordPathInApp(phase.number, RECORD_FILES_DIR, file));
    if (!content || sha256(content) !== expectedHash) return undefined;
    contents.set(file, content);
  }
  if (!contributionsIntact({ workspaceRoot, appRoot, plan: query.plan, phase, manifest })) return undefined;
  return { manifest, contents };
}

/** The validated manifest, or undefined when there is none or it is invalid (the phase is then generated, which reports it). */
function readValidManifest(location: RecordLocation): PhaseManifest | undefined {
  try {
    return readPreviousManifest(location);
  } catch {
    return undefined;
  }
}

/** A record file's content, or undefined when it is missing, not a regular file or reached through a symlink. */
function readRecordedFile(appRootAbs: string, recordPath: string): Buffer | undefined {
  try {
    assertRealFilePath(appRootAbs, recordPath, '');
    const path = join(appRootAbs, recordPath);
    return lstatSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}
