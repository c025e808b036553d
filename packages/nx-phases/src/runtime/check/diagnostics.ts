import { posix } from 'node:path';

/** One diagnostic a check printed, with its file relative to the snapshot root. */
export interface CheckDiagnostic {
  file: string;
  line: number;
  column?: number;
  message: string;
}

/** tsc's `file(line,col): error TS…: message` and the common `file:line:col: message` (eslint --format unix, gcc, jest). */
const DIAGNOSTIC_PATTERNS = [/^(?<file>[^\s(:][^(:]*)\((?<line>\d+),(?<column>\d+)\):\s*(?<message>.*)$/, /^(?<file>[^\s:][^:]*):(?<line>\d+)(?::(?<column>\d+))?:\s*(?<message>.*)$/];

/**
 * The diagnostics in a check's output that point at a file inside the snapshot, in the order printed. Absolute paths
 * under `snapshotRoot` are made relative; paths outside it (node_modules, the system) are left out.
 */
export function parseDiagnostics(output: string, snapshotRoot: string): CheckDiagnostic[] {
  const found: CheckDiagnostic[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const line = stripAnsi(raw).trim();
    for (const pattern of DIAGNOSTIC_PATTERNS) {
      const match = pattern.exec(line);
      if (!match?.groups) continue;
      const file = insideSnapshot(match.groups.file.trim(), snapshotRoot);
      if (file === undefined) break;
      found.push({ file, line: Number(match.groups.line), ...(match.groups.column ? { column: Number(match.groups.column) } : {}), message: match.groups.message.trim() });
      break;
    }
  }
  return found;
}

/** `file:line:column message`, as the failure message quotes a diagnostic. */
export function formatDiagnostic(diagnostic: CheckDiagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}${diagnostic.column !== undefined ? `:${diagnostic.column}` : ''} ${diagnostic.message}`;
}

function insideSnapshot(file: string, snapshotRoot: string): string | undefined {
  const root = snapshotRoot.replace(/\/+$/, '');
  const relative = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  if (relative.startsWith('/') || relative.includes('\\')) return undefined;
  const normalized = posix.normalize(relative);
  if (normalized.startsWith('..') || normalized.startsWith('node_modules/') || normalized === '.') return undefined;
  return normalized;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
