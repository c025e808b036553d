/** What `phase-plan` writes besides printing the text view. */
export type PhasePlanFormat = 'text' | 'mermaid' | 'json' | 'html';

/** Options of the `nx-phases:phase-plan` executor. */
export interface PhasePlanExecutorOptions {
  plan: string;
  parallel?: number;
  format?: PhasePlanFormat;
  /** Print the cost estimate (with format json, also write phase-estimate.json). */
  estimate?: boolean;
  /** Output tokens expected per planned file of a phase that never ran. */
  outputTokensPerFile?: number;
}
