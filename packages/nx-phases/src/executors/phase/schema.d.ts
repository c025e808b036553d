/** Options of the `nx-phases:phase` executor. */
export interface PhaseExecutorOptions {
  plan: string;
  phase: number;
  fingerprint?: string;
  generator?: string;
}
