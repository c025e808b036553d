import type { PhaseRunState } from './state';

/**
 * One named step of a phase run. A step with a `title` is shown as a progress line (and may update it); one without
 * runs silently (it may show its own progress). Consecutive titled steps share one progress list.
 */
export interface PhaseStep {
  name: string;
  title?: (state: PhaseRunState) => string;
  run: (state: PhaseRunState, title: (text: string) => void) => Promise<void> | void;
}
