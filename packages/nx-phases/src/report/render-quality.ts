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
