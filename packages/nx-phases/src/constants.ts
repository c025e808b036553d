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

/**
 * Hashes only the private copies of the dependencies' committed outputs, never live app
 * files that a later phase may modify (see ARCHITECTURE.md, the dependentTasksOutputFiles trap).
 */
export const DEPENDENCY_RECORDS_INPUT = {
  dependentTasksOutputFiles: `**/${RECORDS_DIR}/*/${RECORD_FILES_DIR}/**`,
  transitive: true,
} as const;

/** The installed plugin's version; part of every phase's cache key so an upgrade invalidates. */
export const PLUGIN_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;
