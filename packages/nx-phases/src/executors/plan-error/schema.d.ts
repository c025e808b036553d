/** Options of the `nx-phases:plan-error` executor (the targets of a plan that cannot be loaded). */
export interface PlanErrorExecutorOptions {
  plan: string;
  message: string;
}
