import { pathEscape } from './path-escape';

/** The folder (at the app root) where the plugin keeps per-phase records. */
export const RESERVED_RECORDS_FOLDER = '.phases';

/** The plan file's conventional name; a phase may never write it. */
export const PLAN_FILE_NAME = 'phases.json';

/** Matches an empty or `.` segment: the only things `normalizePlanPath` changes. */
const NEEDS_NORMALISING = /(?:^|\/)\.?(?:\/|$)/;

/** Matches a `.git`, `.nx` (Nx's cache and workspace data) or `node_modules` segment in a lower-cased path. */
const FORBIDDEN_SEGMENT = /(?:^|\/)(\.git|\.nx|node_modules)(?:\/|$)/;

/** Matches a C0 control character or DEL. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Matches a string of ASCII characters only (nothing to normalize). */
const ASCII = /^[\x00-\x7f]*$/;

/** The longest file or folder name most file systems allow (ext4, APFS, NTFS: 255 bytes or units). */
const FILE_SYSTEM_NAME_BYTES = 255;

/**
 * Bytes the commit adds to a file's name while staging it: `.<name>.nx-phases-<pid>-<8 hex>.tmp` with a pid of up
 * to 7 digits (Linux's largest pid_max). Kept in step with the runtime's temp names by a runtime test.
 */
export const COMMIT_TEMP_NAME_EXTRA_BYTES = 1 + '.nx-phases-'.length + 7 + 1 + 8 + '.tmp'.length;

/** The longest file or folder name a plan may use, so the commit's temp name still fits: 223 bytes of UTF-8. */
export const MAX_NAME_BYTES = FILE_SYSTEM_NAME_BYTES - COMMIT_TEMP_NAME_EXTRA_BYTES;

/**
 * The longest app-root-relative path a plan may use, in bytes of UTF-8: inside the record's staging folder
 * (`<app>/.phases/<n>/files.staging-<pid>-<id>/`, about 50 bytes more) it stays within macOS's 1,024-byte
 * PATH_MAX for a workspace and app root of up to about 200 bytes.
 */
export const MAX_PATH_BYTES = 768;

/** Normalises an app-root-relative path: strips `./` segments and collapses repeated slashes. */
export function normalizePlanPath(p: string): string {
  if (!NEEDS_NORMALISING.test(p)) return p;
  return p
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/** A reason a path is unsafe for a plan, with a hint; `undefined` when the path is fine. */
export interface PathIssue {
  message: string;
  hint: string;
}

/**
 * Checks a raw plan path (plannedFiles or context entry) and returns its first issue.
 * `planFileName` is the basename of the plan file, reserved at the app root; `phases.json` is reserved at any depth.
 */
export function checkPlanPath(raw: string, planFileName: string): PathIssue | undefined {
  const control = CONTROL_CHARACTER.exec(raw);
  if (control) {
    return {
      message: `${JSON.stringify(raw)} contains a ${describeControlCharacter(control[0])} character.`,
      hint: 'Remove the control character from the path.',
    };
  }
  if (raw.includes('\\')) {
    return {
      message: `${JSON.stringify(raw)} contains a backslash.`,
      hint: `Use forward slashes: ${JSON.stringify(raw.replace(/\\/g, '/'))}.`,
    };
  }
  const escape = pathEscape(raw);
  if (escape === 'absolute') {
    return {
      message: `${JSON.stringify(raw)} is an absolute path.`,
      hint: 'Write the path relative to the folder that holds the plan (the app root), e.g. "src/App.tsx".',
    };
  }
  if (escape === 'parent-segment') {
    return {
      message: `${JSON.stringify(raw)} contains a ".." segment and could leave the app root.`,
      hint: 'Write a path inside the app root without "..".',
    };
  }
  const normalized = normalizePlanPath(raw);
  if (normalized === '' || raw.endsWith('/')) {
    return {
      message: `${JSON.stringify(raw)} does not name a file.`,
      hint: 'List files, not folders, e.g. "src/App.tsx".',
    };
  }
  const lower = normalized.toLowerCase();
  const forbidden = FORBIDDEN_SEGMENT.exec(lower);
  if (forbidden) {
    return {
      message: `${JSON.stringify(raw)} points into ${forbidden[1]}/, which phases may not touch.`,
      hint: `Remove it; files under ${forbidden[1]}/ are managed by other tools.`,
    };
  }
  if (lower.split('/').includes(RESERVED_RECORDS_FOLDER)) {
    return {
      message: `${JSON.stringify(raw)} points into a ${RESERVED_RECORDS_FOLDER}/ folder, where nx-phases keeps per-phase records (reserved at any depth).`,
      hint: `Choose a path without a ${RESERVED_RECORDS_FOLDER} folder in it.`,
    };
  }
  if (lower === PLAN_FILE_NAME || lower === planFileName.toLowerCase()) {
    return {
      message: `${JSON.stringify(raw)} is the plan file itself.`,
      hint: 'Remove it; a phase may not rewrite the plan.',
    };
  }
  const tooLong = lengthIssue(normalized);
  if (tooLong) return tooLong;
  if (lower.endsWith(`/${PLAN_FILE_NAME}`)) {
    return {
      message: `${JSON.stringify(raw)} is named ${PLAN_FILE_NAME}, which nx-phases reserves for plans: a file with that name anywhere becomes a new plan.`,
      hint: `Choose another file name; phases may neither write nor read a ${PLAN_FILE_NAME}.`,
    };
  }
  return undefined;
}

/**
 * The key two paths are the same file by on common file systems: macOS compares names case-insensitively and
 * ignores Unicode normalization (NFC "café" and NFD "café" are one file), Windows ignores case.
 */
export function filesystemKey(path: string): string {
  if (ASCII.test(path)) return path.toLowerCase();
  return path.normalize('NFD').toLowerCase().normalize('NFC');
}

/** A name or a whole path that is too long to commit on common file systems. */
function lengthIssue(path: string): PathIssue | undefined {
  if (path.length * 3 <= MAX_NAME_BYTES) return undefined; // a UTF-16 unit is at most 3 bytes of UTF-8
  const long = path.split('/').find((segment) => Buffer.byteLength(segment) > MAX_NAME_BYTES);
  if (long !== undefined) {
    return {
      message:
        `${shorten(path)} has a ${Buffer.byteLength(long)}-byte name (${shorten(long)}); the commit stages it under a name ` +
        `${COMMIT_TEMP_NAME_EXTRA_BYTES} bytes longer, and most file systems allow ${FILE_SYSTEM_NAME_BYTES}.`,
      hint: `Shorten that file or folder name to at most ${MAX_NAME_BYTES} bytes (UTF-8).`,
    };
  }
  const bytes = Buffer.byteLength(path);
  if (bytes <= MAX_PATH_BYTES) return undefined;
  return {
    message: `${shorten(path)} is ${bytes} bytes long; nx-phases allows ${MAX_PATH_BYTES}, so that its copy in the record folder stays within macOS's 1,024-byte path limit.`,
    hint: 'Use a shorter path (fewer or shorter folder names).',
  };
}

/** A long path or name quoted with only its first and last characters, so messages stay readable. */
function shorten(text: string): string {
  return JSON.stringify(text.length <= 48 ? text : `${text.slice(0, 24)}…${text.slice(-20)}`);
}

/** The first control character in `text` described as in messages (`NUL`, `control (U+000A)`), or undefined. */
export function describeControlCharacterIn(text: string): string | undefined {
  const control = CONTROL_CHARACTER.exec(text);
  return control ? describeControlCharacter(control[0]) : undefined;
}

/** "NUL" for U+0000, otherwise "control (U+XXXX)". */
function describeControlCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code === 0 ? 'NUL' : `control (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}
