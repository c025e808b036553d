/** A bad option of `nx g nx-phases:plan`; the message says what to pass instead. Nothing is written. */
export class PlanOptionsError extends Error {
  constructor(message: string) {
    super(`nx-phases:plan: ${message}`);
    this.name = 'PlanOptionsError';
  }
}
