import { counted } from '../runtime/counted';
import type { CheckQuality } from './run-report';

/**
 * `4 phases ran with a check: 2 passed first time (50 %), 1 repaired, 1 failed its check, 7 attempts: retry rate 50 %`
 * (`ran` is the verb: "ran" in a run's summary, "committed" for verify's merged app).
 */
export function qualityText(checks: CheckQuality, ran = 'ran'): string {
  const percent = (rate: number) => `${Math.round(rate * 100)} %`;
  const failed = checks.failed > 0 ? `, ${checks.failed} failed ${checks.failed === 1 ? 'its check' : 'their check'}` : '';
  return (
    `${counted(checks.checked, 'phase', 'phases')} ${ran} with a check: ${checks.firstPass} passed first time (${percent(checks.firstPassRate)}), ` +
    `${checks.repaired} repaired${failed}, ${counted(checks.attempts, 'attempt', 'attempts')}: retry rate ${percent(checks.retryRate)}`
  );
}

/** One phase's attempts, for the list of phases that needed a repair. */
export interface PhaseAttempts {
  name: string;
  attempts: number;
  /** Still failing its check after its last attempt. */
  failed: boolean;
}

/** How many phases the list names before "and N more" (the JSON report has every phase). */
const MAX_NAMED = 8;

/**
 * `needed a repair: Database (2 attempts), Checkout (3 attempts, still failing)`: the phases (in the order given) that
 * needed a repair, the ones the retry rate counts, each with its attempts; undefined when none did.
 */
export function neededRepairText(phases: PhaseAttempts[]): string | undefined {
  const listed = phases.filter((phase) => phase.attempts > 1 || phase.failed);
  if (listed.length === 0) return undefined;
  const named = listed.slice(0, MAX_NAMED).map((phase) => `${phase.name} (${counted(phase.attempts, 'attempt', 'attempts')}${phase.failed ? ', still failing' : ''})`);
  const more = listed.length > MAX_NAMED ? ` and ${listed.length - MAX_NAMED} more` : '';
  return `needed a repair: ${named.join(', ')}${more}`;
}
