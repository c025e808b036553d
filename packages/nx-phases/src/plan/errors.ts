/** The JSON path used for problems about the whole document (e.g. invalid JSON). */
export const ROOT_PATH = '(root)';

/** One problem found in a plan: where it is, what is wrong, and how to fix it. */
export interface PlanProblem {
  /** The plan file as given to `parsePlan` (or `(in-memory plan)`). */
  file: string;
  /** JSON path such as `phases[3].dependencies[0]`, or `(root)` for the whole document. */
  path: string;
  /** What is wrong, as one sentence. */
  message: string;
  /** What to do about it, as one sentence. */
  hint: string;
  /** 1-based line, set for JSON syntax errors only. */
  line?: number;
  /** 1-based column, set for JSON syntax errors only. */
  column?: number;
}

/** Thrown when a plan is invalid; `problems` lists every problem found, not just the first. */
export class PlanError extends Error {
  /** Every problem found, in the order they were detected. */
  readonly problems: PlanProblem[];

  constructor(problems: PlanProblem[]) {
    super(formatProblems(problems));
    this.name = 'PlanError';
    this.problems = problems;
  }
}

/** Renders problems as a count line followed by one `<file>: <path>: <message> Fix: <hint>` line each. */
export function formatProblems(problems: PlanProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `${p.file}: ${p.path}: ${p.message} Fix: ${p.hint}`);
  return [`Invalid phase plan: ${count} found.`, ...lines].join('\n');
}
