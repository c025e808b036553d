/** The folder (at the app root) where the plugin keeps per-phase records. */
export const RESERVED_RECORDS_FOLDER = '.phases';

/** The plan file's conventional name; a phase may never write it. */
export const PLAN_FILE_NAME = 'phases.json';

/** Matches an empty or `.` segment: the only things `normalizePlanPath` changes. */
const NEEDS_NORMALISING = /(?:^|\/)\.?(?:\/|$)/;

/** Matches a `..` segment. */
const PARENT_SEGMENT = /(?:^|\/)\.\.(?:\/|$)/;

/** Matches a `.git`, `.nx` (Nx's cache and workspace data) or `node_modules` segment in a lower-cased path. */
const FORBIDDEN_SEGMENT = /(?:^|\/)(\.git|\.nx|node_modules)(?:\/|$)/;

/** Matches a C0 control character or DEL. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

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
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    return {
      message: `${JSON.stringify(raw)} is an absolute path.`,
      hint: 'Write the path relative to the folder that holds the plan (the app root), e.g. "src/App.tsx".',
    };
  }
  if (PARENT_SEGMENT.test(raw)) {
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
  if (lower === RESERVED_RECORDS_FOLDER || lower.startsWith(`${RESERVED_RECORDS_FOLDER}/`)) {
    return {
      message: `${JSON.stringify(raw)} points into ${RESERVED_RECORDS_FOLDER}/, where nx-phases keeps its per-phase records.`,
      hint: `Choose a path outside ${RESERVED_RECORDS_FOLDER}/.`,
    };
  }
  if (lower === PLAN_FILE_NAME || lower === planFileName.toLowerCase()) {
    return {
      message: `${JSON.stringify(raw)} is the plan file itself.`,
      hint: 'Remove it; a phase may not rewrite the plan.',
    };
  }
  if (lower.endsWith(`/${PLAN_FILE_NAME}`)) {
    return {
      message: `${JSON.stringify(raw)} is named ${PLAN_FILE_NAME}, which nx-phases reserves for plans: a file with that name anywhere becomes a new plan.`,
      hint: `Choose another file name; phases may neither write nor read a ${PLAN_FILE_NAME}.`,
    };
  }
  return undefined;
}

/** "NUL" for U+0000, otherwise "control (U+XXXX)". */
function describeControlCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code === 0 ? 'NUL' : `control (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}
