import type { Phase, PhaseCheck, PhasePlan } from '../../plan/types';
import { formatDiagnostic } from './diagnostics';
import { describeMissingDependency, findMissingDependencies } from './missing-dependency';
import type { CheckResult } from './run-check';

/** How many diagnostics a failure message quotes. */
const QUOTED_DIAGNOSTICS = 5;

/** A phase whose check failed (after its last repair): names the phase, the check, the first diagnostics and any missing dependency. */
export class CheckFailedError extends Error {
  constructor(plan: PhasePlan, phase: Phase, check: PhaseCheck, readonly result: CheckResult) {
    super(checkFailureMessage(plan, phase, check, result));
    this.name = 'CheckFailedError';
  }
}

/** The failure message: phase, check, reason, missing dependencies, first diagnostics (or the output's end). */
export function checkFailureMessage(plan: PhasePlan, phase: Phase, check: PhaseCheck, result: CheckResult): string {
  const lines = [`Phase ${phase.number} "${phase.name}": the check \`${check.command}\` failed (${result.reason ?? 'failed'}).`];
  for (const missing of findMissingDependencies(result.diagnostics, plan, phase)) lines.push(`${describeMissingDependency(phase, missing)}.`);
  if (result.diagnostics.length > 0) {
    lines.push(`First diagnostics (${Math.min(QUOTED_DIAGNOSTICS, result.diagnostics.length)} of ${result.diagnostics.length}):`);
    for (const diagnostic of result.diagnostics.slice(0, QUOTED_DIAGNOSTICS)) lines.push(`  ${formatDiagnostic(diagnostic)}`);
  } else {
    const tail = result.output.trimEnd().split('\n').slice(-10).join('\n');
    lines.push(tail === '' ? '(the check printed nothing)' : `Its output ended with:\n${tail}`);
  }
  if (result.reason === 'exited with code 127') {
    lines.push('Exit code 127: the shell did not find the check\'s command. Install it in the workspace (its node_modules/.bin is on PATH; `nx g nx-phases:init` adds typescript) or fix "check.command".');
  }
  if (result.timedOut) lines.push(`Raise "timeoutSeconds" (now ${check.timeoutSeconds}) in the check, or make the check finish sooner.`);
  return lines.join('\n');
}
