/** Options of the `nx-phases:assemble` executor (the plan's aggregate target). */
export interface AssembleExecutorOptions {
  plan: string;
}
