import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folder inside an app root that holds one record folder per phase (its project root). */
export const RECORDS_DIR = '.phases';

/** Sub-folder of a phase's record folder with a private copy of the files it committed. */
export const RECORD_FILES_DIR = 'files';

/** File name of a phase's manifest inside its record folder. */
export const MANIFEST_FILE = 'manifest.json';

/** The plan file name the plugin looks for. */
export const PLAN_FILE = 'phases.json';

/** File in a phase's record folder holding the content hash of the snapshot it was generated from. */
export const SNAPSHOT_DIGEST_FILE = 'inputs.sha256';

/** File in a phase's record folder listing its executable files (one path a line); absent when there are none. */
export const EXECUTABLES_FILE = 'executables.txt';

/**
 * File in a phase's record folder holding what the phase added to each mergeable file it wrote (its contributions).
 * Merged files themselves belong to no phase's outputs; the plan's aggregate target builds them from these records.
 */
export const CONTRIBUTIONS_FILE = 'contributions.json';

/**
 * What a phase hashes of its dependencies: each DIRECT dependency's private record copies (and which of them are
 * executable, and what it added to mergeable files) plus the digest of that dependency's own snapshot, which covers
 * the records of its transitive dependencies and who contributed what to the merged files. Together they cover
 * exactly the phase's snapshot, at O(edges) hashing cost; Nx's `transitive: true` would hash every ancestor's
 * outputs for every phase (O(n²), the dominant cost of a full-cache run at 100 phases). Never live app files
 * that a later phase may modify (see ARCHITECTURE.md, the dependentTasksOutputFiles trap).
 */
export const DEPENDENCY_RECORD_INPUTS = [
  { dependentTasksOutputFiles: `**/${RECORDS_DIR}/*/${RECORD_FILES_DIR}/**`, transitive: false },
  { dependentTasksOutputFiles: `**/${RECORDS_DIR}/*/${SNAPSHOT_DIGEST_FILE}`, transitive: false },
  { dependentTasksOutputFiles: `**/${RECORDS_DIR}/*/${EXECUTABLES_FILE}`, transitive: false },
  { dependentTasksOutputFiles: `**/${RECORDS_DIR}/*/${CONTRIBUTIONS_FILE}`, transitive: false },
] as const;

/** The installed plugin's version; part of every phase's cache key so an upgrade invalidates. */
export const PLUGIN_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;
