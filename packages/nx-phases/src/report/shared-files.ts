import type { PhasePlan } from '../plan/types';
import type { SharedFileContributors } from './render-plan-html';

/**
 * Files the plan declares mergeable, each with the phases that contribute to it. The hook for the HTML view:
 * the plan format has no mergeable files yet (issue 9 adds them), so until then no plan has any.
 */
export function sharedFileContributors(_plan: PhasePlan): SharedFileContributors[] {
  return [];
}
