/**
 * Runs one step of a scenario test: one `it` whose steps build on the state the previous step left, so no `it`
 * depends on another (running a single `it` with -t cannot start from a state it did not make). A failure
 * names the step.
 */
export function step(name: string, body: () => void): void {
  try {
    body();
  } catch (error) {
    if (error instanceof Error) error.message = `Step "${name}" failed:\n${error.message}`;
    throw error;
  }
}

/** A scenario of many real nx runs on a shared machine: room for all of them (a safety net, not a measurement). */
export const SCENARIO_TIMEOUT_MS = 30 * 60_000;
