import { effectiveCheck, effectiveGenerator } from '../../plan';
import type { PhaseCheck } from '../../plan/types';
import { sandboxSettings, type OptionLocation, type SandboxSettings } from '../../generators/command/sandbox';
import { cancellationSignal, throwIfCancelled } from '../cancellation';
import { CheckChangedSnapshotError, snapshotChanges } from '../check/check-changed';
import { CheckFailedError } from '../check/check-failed';
import { walkFiles } from '../file-walk';
import { runCheck, type CheckResult } from '../check/run-check';
import type { PhaseRepair } from '../phase-generator';
import { generateStep } from './generate-step';
import { formatDiagnostic } from '../check/diagnostics';
import { recordSegment, required, type PhaseRunState } from './state';
import type { PhaseStep } from './step';
import { validateStep } from './validate-step';

/** Generators that take a failed check's diagnostics and try again (`runtime.repair`). */
export const REPAIRING_GENERATORS: ReadonlySet<string> = new Set(['nx-phases:command', 'nx-phases:openai']);

/** How many of a failed check's diagnostics the run record keeps (the report shows them for a failed phase). */
const RECORDED_DIAGNOSTICS = 5;

/** How much of the check's output a repair is given after the failure message. */
const REPAIR_OUTPUT_CHARS = 8 * 1024;

/**
 * Runs the phase's check (plan-wide `check`, or the phase's own) in the snapshot after validation. When it fails and
 * the generator can repair, the generator runs again with the diagnostics (then validation and the check), at most
 * `maxRepairs` times. Still failing (or stopped at its time limit) throws `CheckFailedError`, and a check that wrote
 * into the snapshot throws `CheckChangedSnapshotError`: nothing is committed.
 */
export const checkStep: PhaseStep = {
  name: 'check',
  title: (state) => (effectiveCheck(required(state, 'loaded').plan, required(state, 'phase')) ? 'Checking' : 'Checking (no check declared)'),
  async run(state, title) {
    const loaded = required(state, 'loaded');
    const phase = required(state, 'phase');
    const check = effectiveCheck(loaded.plan, phase);
    if (!check || state.shared) return; // another machine's result passed its check there (its manifest records it)
    const repairs = REPAIRING_GENERATORS.has(required(state, 'generator').use) ? check.maxRepairs : 0;
    for (let attempt = 1; ; attempt += 1) {
      title(`Checking: ${check.command}${attempt > 1 ? ` (after repair ${attempt - 1} of ${repairs})` : ''}`);
      const checkStarted = Date.now();
      const before = walkFiles(required(state, 'snapshot').root);
      const result = await checkOnce(state, check);
      recordSegment(state, 'check', attempt, checkStarted);
      const changes = snapshotChanges(before, walkFiles(required(state, 'snapshot').root));
      if (changes.length > 0) throw new CheckChangedSnapshotError(phase, check, changes);
      state.checks.push({ attempt, passed: result.passed, durationMs: result.durationMs, diagnostics: result.diagnostics.length });
      const failure = result.passed ? undefined : new CheckFailedError(loaded.plan, phase, check, result);
      if (!failure) {
        title(`Checking: ${check.command} (passed${attempt > 1 ? ` after ${attempt - 1} repair${attempt > 2 ? 's' : ''}` : ''})`);
        return;
      }
      state.lastDiagnostics = result.diagnostics.slice(0, RECORDED_DIAGNOSTICS).map((diagnostic) => truncate(formatDiagnostic(diagnostic), 300));
      if (result.timedOut || attempt > repairs) throw failure;
      throwIfCancelled();
      state.repair = repairOf(attempt, repairs, check, failure.message, result);
      title(`Repairing (${attempt} of ${repairs}): ${result.diagnostics.length} diagnostics`);
      await generateStep.run(state, title);
      await validateStep.run(state, () => undefined);
    }
  },
};

function checkOnce(state: PhaseRunState, check: PhaseCheck): Promise<CheckResult> {
  const phase = required(state, 'phase');
  return runCheck({
    check,
    snapshotRoot: required(state, 'snapshot').root,
    workspaceRoot: state.request.workspaceRoot,
    label: `Phase ${phase.number} "${phase.name}"`,
    sandbox: checkSandbox(state, check),
    signal: cancellationSignal(),
  });
}

function repairOf(attempt: number, maxRepairs: number, check: PhaseCheck, message: string, result: CheckResult): PhaseRepair {
  const output = result.output.length > REPAIR_OUTPUT_CHARS ? result.output.slice(0, REPAIR_OUTPUT_CHARS) : result.output;
  const files = [...new Set(result.diagnostics.map((diagnostic) => diagnostic.file))].sort();
  return { attempt, maxRepairs, check: check.command, diagnostics: `${message}\n\nCheck output:\n${output}`, files };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The sandbox the check runs in: the check's own `sandbox`, else the one the phase's command generator runs in (a
 * check never runs with less isolation than the generator it checks). Undefined: no sandbox.
 */
function checkSandbox(state: PhaseRunState, check: PhaseCheck): { settings: SandboxSettings; where: OptionLocation } | undefined {
  const loaded = required(state, 'loaded');
  const phase = required(state, 'phase');
  if (check.sandbox) {
    const owner = phase.check ? `${loaded.jsonPaths.get(phase.number) ?? 'phases'}.check` : 'check';
    return { settings: check.sandbox, where: { label: 'check', jsonPath: `${owner}.sandbox`, planFile: loaded.planFile } };
  }
  const generator = effectiveGenerator(loaded.plan, phase);
  if (generator.use !== 'nx-phases:command' || !generator.options.sandbox) return undefined;
  const owner = phase.generator ? `${loaded.jsonPaths.get(phase.number) ?? 'phases'}.generator` : 'generator';
  const where = { label: 'check', jsonPath: `${owner}.options.sandbox`, planFile: loaded.planFile };
  return { settings: sandboxSettings(generator.options.sandbox, where)!, where };
}
