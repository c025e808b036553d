/** What `phase-plan` writes besides printing the text view. */
export type PhasePlanFormat = 'text' | 'mermaid' | 'json' | 'html';

/** Options of the `nx-phases:phase-plan` executor. */
export interface PhasePlanExecutorOptions {
  plan: string;
  parallel?: number;
  format?: PhasePlanFormat;
}
