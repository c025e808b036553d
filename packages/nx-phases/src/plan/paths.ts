/** Folders a plan path may never point into (compared case-insensitively, at any depth). */
const FORBIDDEN_SEGMENTS = ['.git', 'node_modules'];

/** The folder (at the app root) where the plugin keeps per-phase records. */
export const RESERVED_RECORDS_FOLDER = '.phases';

/** The plan file's conventional name; a phase may never write it. */
export const PLAN_FILE_NAME = 'phases.json';

/** Normalises an app-root-relative path: strips `./` segments and collapses repeated slashes. */
export function normalizePlanPath(p: string): string {
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
 * `planFileName` is the basename of the plan file, which is reserved like `phases.json`.
 */
export function checkPlanPath(raw: string, planFileName: string): PathIssue | undefined {
  const shown = JSON.stringify(raw);
  const control = findControlCharacter(raw);
  if (control !== undefined) {
    return {
      message: `${shown} contains a ${control} character.`,
      hint: 'Remove the control character from the path.',
    };
  }
  if (raw.includes('\\')) {
    return {
      message: `${shown} contains a backslash.`,
      hint: `Use forward slashes: ${JSON.stringify(raw.replace(/\\/g, '/'))}.`,
    };
  }
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    return {
      message: `${shown} is an absolute path.`,
      hint: 'Write the path relative to the folder that holds the plan (the app root), e.g. "src/App.tsx".',
    };
  }
  const segments = raw.split('/');
  if (segments.includes('..')) {
    return {
      message: `${shown} contains a ".." segment and could leave the app root.`,
      hint: 'Write a path inside the app root without "..".',
    };
  }
  const normalized = normalizePlanPath(raw);
  if (normalized === '' || raw.endsWith('/')) {
    return {
      message: `${shown} does not name a file.`,
      hint: 'List files, not folders, e.g. "src/App.tsx".',
    };
  }
  const lowerSegments = normalized.toLowerCase().split('/');
  const forbidden = FORBIDDEN_SEGMENTS.find((name) => lowerSegments.includes(name));
  if (forbidden !== undefined) {
    return {
      message: `${shown} points into ${forbidden}/, which phases may not touch.`,
      hint: `Remove it; files under ${forbidden}/ are managed by other tools.`,
    };
  }
  if (lowerSegments[0] === RESERVED_RECORDS_FOLDER) {
    return {
      message: `${shown} points into ${RESERVED_RECORDS_FOLDER}/, where nx-phases keeps its per-phase records.`,
      hint: `Choose a path outside ${RESERVED_RECORDS_FOLDER}/.`,
    };
  }
  const lowerPath = normalized.toLowerCase();
  if (lowerPath === PLAN_FILE_NAME || lowerPath === planFileName.toLowerCase()) {
    return {
      message: `${shown} is the plan file itself.`,
      hint: 'Remove it; a phase may not rewrite the plan.',
    };
  }
  return undefined;
}

/** Names the first control character (U+0000–U+001F, U+007F) in `text`, if any. */
function findControlCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return 'NUL';
    if (code < 0x20 || code === 0x7f) {
      return `control (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
    }
  }
  return undefined;
}
