/** Options of the `nx-phases:phase-plan` executor. */
export interface PhasePlanExecutorOptions {
  plan: string;
  parallel?: number;
  format?: 'text' | 'mermaid' | 'json';
}
